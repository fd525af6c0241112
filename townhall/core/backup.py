"""Back up and restore a whole Townhall: every record and every uploaded file, in one .zip.

The file holds:

    manifest.json   what wrote it, when, on which database, and the schema it fits
                    (the applied migrations of every app)
    data.json       every record, in Django's JSON serialization format
    media/<path>    every file under MEDIA_ROOT

Restore replaces the data entirely. Everything that can be checked (is it a backup, are its
paths safe, does this Townhall know its schema) is checked before the database is touched,
and the database is replaced in one transaction, so a refused or failed restore leaves the
old data as it was. A backup from an older Townhall restores: fields added since take their
defaults.

Sessions are not backed up, and restore empties them: after a restore everyone signs in
again (a session could otherwise name a user id that now belongs to someone else).
"""

import datetime
import io
import json
import os
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.cache import cache
from django.core.management.color import no_style
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

import townhall
from townhall.core import context, dbstats

FORMAT = "townhall-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA = "data.json"
MEDIA = "media/"
# Restore unpacks files here first: inside MEDIA_ROOT, so putting them in place is a rename.
STAGING_PREFIX = ".townhall-restore-"
# Rows that `migrate` creates, with ids that differ from one database to the next. They are
# written and matched by natural key, never by id, and restore keeps the existing rows (ids
# cached by running processes stay right) and adds any the backup has that are missing.
BY_NATURAL_KEY = {"contenttypes.contenttype", "auth.permission"}
# Not records: who is signed in (and their sessions' records), and which worker processes
# are running now.
SKIPPED = {"sessions.session", "accounts.signedinsession", "jobs.worker"}

Schema = dict[str, list[str]]


class BackupError(Exception):
    """Why a backup could not be written or restored, in one line a person can act on."""


@dataclass(frozen=True)
class Summary:
    records: int
    files: int
    manifest: dict[str, Any]

    def counts(self) -> str:
        """Like "146 records and 1 file", for the commands' summary lines."""
        records = f"{self.records:,} record{'s' if self.records != 1 else ''}"
        return f"{records} and {self.files:,} file{'s' if self.files != 1 else ''}"


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every model whose rows a backup holds, in an order that loads natural keys first."""
    app_list = []
    for config in apps.get_app_configs():
        chosen = [
            model
            for model in config.get_models()
            if model._meta.managed
            and not model._meta.proxy
            and model._meta.label_lower not in SKIPPED
            and router.allow_migrate_model(using, model)
        ]
        if chosen:
            app_list.append((config, chosen))
    return serializers.sort_dependencies(app_list, allow_cycles=True)


def _by_natural_key(model: type[models.Model]) -> bool:
    return model._meta.label_lower in BY_NATURAL_KEY


class _Serializer(JSONSerializer):
    """Django's JSON serializer, changed in two ways so the round trip is exact.

    Natural keys are used only for content types and permissions (see BY_NATURAL_KEY); every
    other row keeps its id, which links and history (AuditEntry.object_id) refer to. Django
    reads the two flags per field and per object, so setting them there is enough. Times
    keep their microseconds, which DjangoJSONEncoder would cut to milliseconds.
    """

    def get_dump_object(self, obj: models.Model) -> dict[str, Any]:
        self.use_natural_primary_keys = _by_natural_key(type(obj))
        return super().get_dump_object(obj)

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = _by_natural_key(field.remote_field.model)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = _by_natural_key(field.remote_field.model)
        super().handle_m2m_field(obj, field)

    def _value_from_field(self, obj: models.Model, field: Any) -> Any:
        value = super()._value_from_field(obj, field)  # type: ignore[misc]  # Django private
        if isinstance(value, datetime.datetime | datetime.time):
            return value.isoformat()
        return value


def _auto_through(field: Any) -> bool:
    """Whether a many-to-many field's links live in a table Django made for it."""
    return bool(field.remote_field.through._meta.auto_created)


def _rows(model: type[models.Model], using: str) -> Iterator[models.Model]:
    """Every row of `model`: the base manager, because a default manager may hide some."""
    qs = model._base_manager.using(using).order_by("pk")
    natural = [
        f.name
        for f in model._meta.concrete_fields
        if f.many_to_one and f.related_model and _by_natural_key(f.related_model)
    ]
    if natural:
        qs = qs.select_related(*natural)
    m2m = [f.name for f in model._meta.many_to_many if _auto_through(f)]
    if m2m:
        qs = qs.prefetch_related(*m2m)
    return qs.iterator(chunk_size=2000)


def _schema(connection: BaseDatabaseWrapper) -> Schema:
    schema: Schema = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        schema.setdefault(app_label, []).append(name)
    return schema


def _write_data(zf: zipfile.ZipFile, using: str) -> tuple[int, Schema]:
    """Write data.json from one transaction, so the records are a consistent snapshot."""
    connection = connections[using]
    count = 0

    def objects() -> Iterator[models.Model]:
        nonlocal count
        for model in backed_up_models(using):
            for obj in _rows(model, using):
                count += 1
                yield obj

    repeatable = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if repeatable:  # one snapshot for every query; must come before any other statement
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        schema = _schema(connection)
        info = zipfile.ZipInfo(DATA, date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8")
            _Serializer().serialize(
                objects(), stream=text, use_natural_foreign_keys=True, use_natural_primary_keys=True
            )
            text.flush()
            text.detach()
    return count, schema


def _write_media(zf: zipfile.ZipFile, media_root: Path) -> int:
    count = 0
    if not media_root.is_dir():
        return count
    for folder, dirs, names in os.walk(media_root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(STAGING_PREFIX))
        for name in sorted(names):
            full = Path(folder) / name
            zf.write(full, MEDIA + full.relative_to(media_root).as_posix())
            count += 1
    return count


def backup(path: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Write every record and uploaded file to the .zip at `path`.

    The file appears only once complete (written beside it, then renamed) and is readable by
    its owner alone: it holds password hashes and API tokens.
    """
    target = Path(path).resolve()
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if target.is_relative_to(media_root):
        raise BackupError(f"Write the backup outside the media folder {media_root}.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, strict_timestamps=False) as zf:
            records, schema = _write_data(zf, using)
            files = _write_media(zf, media_root)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "townhall_version": townhall.__version__,
                "created_at": timezone.now().isoformat(),
                "database_vendor": connections[using].vendor,
                "counts": {"records": records, "files": files},
                "schema": schema,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=2))
        os.replace(partial, target)
    except OSError as exc:
        raise BackupError(f"Could not write {target}: {exc}") from exc
    finally:
        Path(partial).unlink(missing_ok=True)
    return Summary(records, files, manifest)


def _unsafe(name: str) -> bool:
    """Whether a zip entry name could land outside the folder it is unpacked into."""
    if name.startswith("/") or "\\" in name or re.match(r"[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def _open(source: Path) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(source)
    except FileNotFoundError as exc:
        raise BackupError(f"There is no file {source}.") from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(f"{source} is not a Townhall backup (it is not a .zip file).") from exc
    unsafe = [name for name in zf.namelist() if _unsafe(name)]
    if unsafe:
        zf.close()
        raise BackupError(
            f"{source} was refused: it holds a path outside its own folders ({unsafe[0]!r})."
        )
    return zf


def _read_json(zf: zipfile.ZipFile, name: str, source: Path) -> Any:
    try:
        return json.loads(zf.read(name))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise BackupError(f"{source} is not a Townhall backup (no readable {name}).") from exc


def _read_manifest(zf: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    manifest = _read_json(zf, MANIFEST, source)
    not_backup = BackupError(f"{source} is not a Townhall backup (its manifest.json is not ours).")
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise not_backup
    version = manifest.get("format_version")
    schema = manifest.get("schema")
    if not isinstance(version, int) or not isinstance(schema, dict):
        raise not_backup
    if not all(isinstance(v, list) and all(isinstance(n, str) for n in v) for v in schema.values()):
        raise not_backup
    if version > FORMAT_VERSION:
        raise BackupError(
            f"This backup was made by a newer version of Townhall (backup format {version}). "
            "Upgrade Townhall, then restore."
        )
    return manifest


def _listing(keys: Iterable[tuple[str, str]], limit: int = 5) -> str:
    names = [f"{app}.{name}" for app, name in sorted(keys)]
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def check_schema(schema: Schema, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a backup whose schema this installation does not know or has not migrated to.

    Known means on disk here, or replaced by a squashed migration that is.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    wanted = {(app, name) for app, names in schema.items() for name in names}
    unknown = wanted - known
    if unknown:
        raise BackupError(
            "This backup was made by a newer version of Townhall "
            f"(unknown migrations: {_listing(unknown)}). Upgrade Townhall, then restore."
        )
    missing = wanted - set(MigrationRecorder(connections[using]).applied_migrations())
    if missing:
        raise BackupError(
            f"This database lacks migrations the backup has ({_listing(missing)}). "
            "Run `townhall migrate`, then restore."
        )


def _unpack_media(zf: zipfile.ZipFile, staging: Path, source: Path) -> list[PurePosixPath]:
    """Unpack media/ into `staging`; the caller moves the files into place after the commit."""
    paths = []
    for info in zf.infolist():
        if not info.filename.startswith(MEDIA) or info.is_dir():
            continue
        relative = PurePosixPath(*PurePosixPath(info.filename).parts[1:])
        dest = staging.joinpath(*relative.parts)
        if not dest.resolve().is_relative_to(staging.resolve()):
            raise BackupError(f"{source} was refused: unsafe path {info.filename!r}.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            with zf.open(info) as src, dest.open("wb") as out:
                shutil.copyfileobj(src, out)
        except zipfile.BadZipFile as exc:
            raise BackupError(f"{source} is damaged ({info.filename}: {exc}).") from exc
        except OSError as exc:
            raise BackupError(f"Could not unpack {info.filename}: {exc}") from exc
        paths.append(relative)
    return paths


def _replace_data(objects: list[dict[str, Any]], using: str) -> int:
    """Empty the tables and load the backup's records, in one transaction.

    Emptying is the database's own flush SQL (DELETE/TRUNCATE), and loading is the
    deserializer's raw save (Model.save_base(raw=True)), the same two steps as Django's
    `flush` and `loaddata`. Neither goes through a model's save() or a queryset's delete(),
    so the audit trail's refusals to change or delete entries, which guard the running
    application, do not stand in the way of putting back a whole database, and auto_now
    times are kept as they were. It still runs inside context.writing(), the one place a
    restore is allowed to write, for the many-to-many sets that do go through managers.
    """
    connection = connections[using]
    kept = {ContentType._meta.db_table, Permission._meta.db_table}
    try:
        with context.writing(), transaction.atomic(using=using, durable=True):
            tables = [
                table
                for table in connection.introspection.django_table_names(
                    only_existing=True, include_views=False
                )
                if table not in kept
            ]
            connection.ops.execute_sql_flush(
                connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
            )
            count, loaded, deferred = 0, set(), []
            for item in serializers.deserialize(
                "python", objects, using=using, handle_forward_references=True
            ):
                item.save(using=using)
                if item.deferred_fields:
                    deferred.append(item)
                loaded.add(type(item.object))
                count += 1
            for item in deferred:
                item.save_deferred_fields(using=using)
            connection.check_constraints()
            # Rows came with their ids; move each id sequence past them (PostgreSQL).
            statements = connection.ops.sequence_reset_sql(no_style(), list(loaded))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
    except Exception as exc:  # whatever went wrong, the transaction rolled it all back
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BackupError(
            f"The backup could not be loaded, so nothing was changed: {reason}"
        ) from exc
    finally:
        ContentType.objects.clear_cache()  # it may hold rows from a rolled-back attempt
    return count


def _move_into_place(paths: list[PurePosixPath], staging: Path, media_root: Path) -> None:
    for relative in paths:
        dest = media_root.joinpath(*relative.parts)
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging.joinpath(*relative.parts), dest)
        except OSError as exc:
            raise BackupError(
                f"The records were restored, but {relative} could not be put in place ({exc}); "
                f"the files not yet in place are in {staging}."
            ) from exc


def restore(path: str | os.PathLike[str], *, using: str = DEFAULT_DB_ALIAS) -> Summary:
    """Replace every record, and put back every uploaded file, from a backup made by `backup`.

    Files are unpacked before the database is touched and moved into place (a rename on the
    same disk) only after it commits, so a failure leaves neither half the records nor half
    the files. Files in the media folder that the backup lacks are left alone.
    """
    source = Path(path)
    media_root = Path(settings.MEDIA_ROOT)
    with _open(source) as zf:
        manifest = _read_manifest(zf, source)
        check_schema(manifest["schema"], using)
        objects = _read_json(zf, DATA, source)
        if not isinstance(objects, list) or not all(isinstance(o, dict) for o in objects):
            raise BackupError(f"{source} is not a Townhall backup (its data.json is not ours).")
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
        try:
            paths = _unpack_media(zf, staging, source)
            records = _replace_data(objects, using)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _move_into_place(paths, staging, media_root)
    shutil.rmtree(staging, ignore_errors=True)
    dbstats.refresh_statistics(using)  # every table was just replaced
    cache.clear()  # figures kept until the next change (keyed by the newest audit entry)
    return Summary(records, len(paths), manifest)
