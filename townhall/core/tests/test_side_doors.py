"""No side doors around the write path: only `core/services.py` (and restore, in
`core/backup.py`) may open `context.writing()`, the block in which models may save. Every
other module writes through the verbs of `services`, so permission, validation and the
audit entry cannot be skipped. Tests and conftest may open it to set up data."""

import ast
from pathlib import Path

import pytest

import townhall
from townhall.core import context

ROOT = Path(townhall.__file__).parent
ALLOWED = {"core/services.py", "core/backup.py"}


def _is_test(path: Path) -> bool:
    parts = path.relative_to(ROOT).parts
    return (
        path.name == "conftest.py"
        or path.name.startswith("test_")
        or any(p == "tests" or p.startswith("tests_") for p in parts[:-1])
    )


def writing_calls(source: str) -> list[int]:
    """Lines where `writing()` is called, as `context.writing()`, through any alias of the
    context module, or as a name imported from it."""
    tree = ast.parse(source)
    modules = {"context"}  # names the context module is known by here
    names = set()  # names `writing` itself is known by here
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("core.context"):
            names |= {a.asname or a.name for a in node.names if a.name == "writing"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("core"):
            modules |= {a.asname or a.name for a in node.names if a.name == "context"}
        elif isinstance(node, ast.Import):
            modules |= {
                a.asname for a in node.names if a.name.endswith("core.context") and a.asname
            }
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "writing":
            base = func.value
            if (isinstance(base, ast.Name) and base.id in modules) or (
                isinstance(base, ast.Attribute) and base.attr == "context"
            ):
                lines.append(node.lineno)
        elif isinstance(func, ast.Name) and func.id in names:
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_every_spelling():
    source = (
        "from townhall.core import context\n"
        "from townhall.core import context as ctx\n"
        "from townhall.core.context import writing as w\n"
        "import townhall.core.context as c2\n"
        "context.writing()\n"
        "ctx.writing()\n"
        "w()\n"
        "c2.writing()\n"
        "townhall.core.context.writing()\n"
        "other.writing()\n"
    )
    assert writing_calls(source) == [5, 6, 7, 8, 9]


def test_only_the_write_path_and_restore_open_writing():
    doors = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel in ALLOWED or _is_test(path):
            continue
        doors += [f"{rel}:{line}" for line in writing_calls(path.read_text(encoding="utf-8"))]
    assert doors == [], "context.writing() opened outside core/services.py: " + ", ".join(doors)


def test_the_bulk_writer_refuses_outside_the_write_path(db):
    """`core/bulk.py` writes with raw statements, which no model guard sees: it checks for
    itself that `services` opened the write path, so nothing else can call it to write."""
    from townhall.core import bulk
    from townhall.core.models import Tag

    tag = Tag(name="side-door")
    with pytest.raises(context.OutsideWritePath):
        bulk.Writer(Tag).save(context.SYSTEM, [bulk.New(tag)])
    assert not Tag.objects.filter(name="side-door").exists()


# Pages and views change records only through verbs. A record that is not a `TrackedModel`
# (an account, a calendar key) is not refused by the model guard outside the write path, so
# a page saving one directly would go unnoticed at run time: these calls are read from the
# source instead. The few that save something other than a record are listed with why.
WRITES = {"save", "delete", "bulk_create", "bulk_update"}
MANAGER_WRITES = {"create", "update", "get_or_create", "update_or_create"}
NOT_RECORDS = {
    ("signin/pages/saml.py", "stash.save"): "allauth's sign-in state, kept in the session",
    ("signin/pages/saml.py", "stash.delete"): "allauth's sign-in state, kept in the session",
    ("cyber/pages/plan.py", "book.save"): "a spreadsheet written for download",
    ("imports/views.py", "run.file.save"): "the uploaded file, kept with the run",
    ("imports/views.py", "run.save"): (
        "an import's own bookkeeping, private to the person importing: the file, the mapping "
        "and option chosen on the way to the preview; the records it imports go through the "
        "write path, audited one by one"
    ),
}


def _is_page_module(rel: str) -> bool:
    parts = rel.split("/")
    return parts[-1] in ("views.py", "api.py") or "pages" in parts[:-1]


def direct_writes(source: str) -> list[tuple[int, str]]:
    """(line, receiver.method) of every save, delete or bulk write called on something, and
    of every `….objects.create()` or `.update()`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        call = ast.unparse(node.func)
        receiver = ast.unparse(node.func.value)
        if receiver == "services" or receiver.endswith(".services"):
            continue  # the write path itself
        if node.func.attr in WRITES or (
            node.func.attr in MANAGER_WRITES
            and ("objects" in receiver.split(".") or ".objects." in receiver)
        ):
            found.append((node.lineno, call))
    return found


def test_the_page_scan_finds_direct_writes():
    source = (
        "user.save(update_fields=['feed_key'])\n"
        "obj.delete()\n"
        "Model.objects.filter(pk=1).update(name='x')\n"
        "User.objects.create(username='x')\n"
        "services.update(user, obj, {}, version=None)\n"
        "values.update(a=1)\n"
    )
    assert [line for line, _ in direct_writes(source)] == [1, 2, 3, 4]


def test_pages_and_views_write_only_through_verbs():
    doors = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if _is_test(path) or not _is_page_module(rel):
            continue
        for line, call in direct_writes(path.read_text(encoding="utf-8")):
            if (rel, call) not in NOT_RECORDS:
                doors.append(f"{rel}:{line} {call}()")
    assert doors == [], "pages write around the write path (call a verb): " + ", ".join(doors)
