"""Where column spellings live: the platform keeps only those of fields that several
modules' kinds share (or the platform's own kind has); each module registers its own. And
moving a spelling between the two never changes what the importer guesses."""

import json
from pathlib import Path

from django.apps import apps as django_apps

from townhall.core import plugins
from townhall.core.models import OwnedModel
from townhall.imports import kinds, mapping

RECORDED = Path(__file__).parent / "fixtures" / "guesses.json"
PLATFORM_APPS = {"org", "accounts", "core", "imports"}


def test_the_guesses_are_those_recorded():
    """For every kind, the guess for a file headed with every spelling there was when the
    spellings were sorted into platform and modules, all at once and one at a time."""
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    headers = recorded["headers"]
    registered = {k.key for k in plugins.import_kinds()}
    assert set(recorded["kinds"]) <= registered
    for key, expected in recorded["kinds"].items():
        kind = kinds.get(key)
        whole = {h: f for h, f in kind.guess(headers).items() if f}
        assert whole == expected["all_at_once"], key
        alone = {h: kind.guess([h])[h] for h in headers}
        assert {h: f for h, f in alone.items() if f} == expected["one_at_a_time"], key


def _apps_with_field() -> dict[str, set[str]]:
    """field -> the apps whose import kinds read it."""
    found: dict[str, set[str]] = {}
    for registered in plugins.import_kinds():
        app = registered.model.split(".")[0]
        for field in kinds.get(registered.key).headings():
            found.setdefault(field, set()).add(app)
    return found


def _platform_fields() -> set[str]:
    """The fields of the platform's own records (a department's, an account's) and of the
    base every record is built on (notes, external ID)."""
    names = {f.name for f in OwnedModel._meta.get_fields()}
    for label in PLATFORM_APPS:
        for model in django_apps.get_app_config(label).get_models():
            names |= {f.name for f in model._meta.get_fields()}
    return names


def test_the_platform_spells_only_shared_fields():
    """A field only one module's kinds have is that module's: its spellings go with its
    kinds (`ImportKind.column_spellings` or `registry.register_column_spellings`). The
    platform keeps those of its own records' fields and of fields several modules share."""
    apps = _apps_with_field()
    platform = _platform_fields()
    own = sorted(
        f"{field} ({', '.join(sorted(apps.get(field, ())) or ['no kind'])})"
        for field in mapping.SYNONYMS
        if field not in platform
        and not apps.get(field, set()) & PLATFORM_APPS
        and len(apps.get(field, ())) < 2
    )
    assert own == [], "spellings of one module's fields in the platform: " + ", ".join(own)


def test_the_rule_finds_a_modules_spelling_put_back(monkeypatch):
    monkeypatch.setitem(mapping.SYNONYMS, "mtd_hours", ("mtd",))
    try:
        test_the_platform_spells_only_shared_fields()
    except AssertionError as refusal:
        assert "mtd_hours (continuity)" in str(refusal)
    else:
        raise AssertionError("a continuity field's spelling in the platform went unnoticed")


def test_each_module_spells_only_its_own_kinds_fields():
    """A module's registered spellings name fields its kinds read (no stray entries)."""
    from townhall.core import registry

    apps = _apps_with_field()
    for label in ("estate", "cyber", "continuity"):
        stray = [f for f in registry.column_spellings(label) if label not in apps.get(f, ())]
        assert stray == [], f"{label} spells fields none of its kinds reads: {stray}"
