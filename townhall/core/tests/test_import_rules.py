"""The platform imports no module, and a module imports only the modules before it.

The order is `core.plugins.MODULE_ORDER` and the platform apps `core.plugins.PLATFORM_APPS`:
what a later module adds to an earlier page (a panel, calendar events, import kinds) it
registers in `core.plugins` instead of being imported. Every `import` counts, also one
inside a function. Production code only: a `tests` folder may import what it tests
against (the platform's tests use estate records as sample data), and the project's own
wiring (`townhall/settings.py`, `townhall/urls.py`) names every app by design.
"""

import ast
import re
from pathlib import Path

from townhall.core.plugins import MODULE_ORDER, PLATFORM_APPS

ROOT = Path(__file__).resolve().parents[2]  # the townhall package


def _imported(node: ast.AST, path: Path, root: Path) -> list[str]:
    """The dotted names an import statement brings in (relative ones made absolute)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level:
        package = list(path.relative_to(root.parent).with_suffix("").parts[:-1])
        base = package[: len(package) - (node.level - 1)]
        return [".".join([*base, node.module] if node.module else base)]
    if node.module == "townhall":  # from townhall import cyber
        return [f"townhall.{alias.name}" for alias in node.names]
    return [node.module or ""]


def allowed(importer: str, imported: str) -> bool:
    """Whether code of app `importer` may import app `imported`."""
    if importer == imported or imported not in MODULE_ORDER:
        return True  # the platform, third-party code, or itself
    if importer in PLATFORM_APPS:
        return False
    if importer in MODULE_ORDER:
        return MODULE_ORDER.index(imported) < MODULE_ORDER.index(importer)
    return True


def violations(root: Path = ROOT) -> list[str]:
    """ "file:line: app imports townhall.x" for every import breaking the rules."""
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if len(parts) < 2 or "tests" in parts or parts[0] == "tests_browser":
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for name in _imported(node, path, root):
                bits = name.split(".")
                if len(bits) > 1 and bits[0] == "townhall" and not allowed(app, bits[1]):
                    where = path.relative_to(root.parent)
                    found.append(f"{where}:{node.lineno}: {app} imports {name}")
    return found


def test_platform_and_modules_import_only_what_comes_before():
    assert violations() == []


def named_modules(root: Path = ROOT) -> list[str]:
    """Where the platform names a module all the same: a dotted path in a string (loaded
    with import_string) or a module's page in one of its templates."""
    modules = "|".join(MODULE_ORDER)
    dotted = re.compile(rf"^townhall\.({modules})\b")
    page = re.compile(rf"{{%\s*url\s+['\"]({modules}):")
    found = []
    for app in PLATFORM_APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "tests" in path.relative_to(root).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    if dotted.match(node.value):
                        found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    templates = [root / "templates" / "base.html"]
    for app in PLATFORM_APPS:
        templates += sorted((root / "templates" / app).rglob("*.html"))
        templates += sorted((root / app / "templates").rglob("*.html"))
    for path in templates:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if page.search(line):
                found.append(f"{path.relative_to(root.parent)}:{number}")
    return found


def test_platform_names_no_module_in_strings_or_templates():
    """Menus, the home page's buttons and the demo's loaders come from `core.plugins`."""
    assert named_modules() == []


def branches_on_module_kinds(root: Path = ROOT) -> list[str]:
    """Where the platform treats one of a module's import kinds by its key (`kind.key ==
    "dependency"`, `{"vendor": …}.get(kind.key)`) instead of by what the kind registered."""
    from townhall.core import plugins

    platform_keys = {"department"}  # org's own kind, the platform's
    keys = {k.key for k in plugins.import_kinds()} - platform_keys

    def is_key(node: ast.AST) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "key"

    def names_module_kind(node: ast.AST) -> bool:
        return isinstance(node, ast.Constant) and node.value in keys

    found = []
    for app in PLATFORM_APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "tests" in path.relative_to(root).parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                sides: list[ast.AST] = []
                if isinstance(node, ast.Compare):
                    sides = [node.left, *node.comparators]
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Dict)
                    and node.args
                ):
                    sides = [node.args[0], *[k for k in node.func.value.keys if k is not None]]
                if any(is_key(s) for s in sides) and any(names_module_kind(s) for s in sides):
                    found.append(f"{path.relative_to(root.parent)}:{node.lineno}")
    return found


def test_platform_treats_no_module_kind_by_its_key():
    """How a row finds its record (by ends, aliases, other keys, within what) is what the
    module registered on its `ImportKind`, so a new module's kinds need no importer change."""
    assert branches_on_module_kinds() == []


def test_the_kind_key_rule_sees_a_branch(tmp_path):
    root = tmp_path / "townhall"
    app = root / "imports"
    app.mkdir(parents=True)
    (app / "engine.py").write_text(
        'def f(kind):\n    if kind.key == "dependency":\n        return 1\n'
        '    return {"vendor": 2}.get(kind.key)\n'
    )
    found = branches_on_module_kinds(root)
    assert found == ["townhall/imports/engine.py:2", "townhall/imports/engine.py:4"]


def test_every_module_app_is_in_the_order():
    """A new module app joins MODULE_ORDER, or the rules above would not see it."""
    apps = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert apps - set(PLATFORM_APPS) == set(MODULE_ORDER)


def test_the_rules_see_imports_inside_functions(tmp_path):
    app = tmp_path / "townhall" / "estate"
    app.mkdir(parents=True)
    (app / "views.py").write_text(
        "from townhall.core import registry\n"
        "def page():\n"
        "    from townhall.continuity import estate_links\n"
        "    from ..cyber.services import evidence_events\n"
    )
    imports = tmp_path / "townhall" / "imports"
    imports.mkdir()
    (imports / "kinds.py").write_text("import townhall.estate.models\nfrom townhall import org\n")
    tests = app / "tests"
    tests.mkdir()
    (tests / "test_x.py").write_text("from townhall.continuity import models\n")
    assert violations(tmp_path / "townhall") == [
        "townhall/estate/views.py:3: estate imports townhall.continuity",
        "townhall/estate/views.py:4: estate imports townhall.cyber.services",
        "townhall/imports/kinds.py:1: imports imports townhall.estate.models",
    ]


def test_the_order_of_modules():
    assert allowed("continuity", "estate") and allowed("cyber", "estate")
    assert not allowed("estate", "governance") and not allowed("governance", "cyber")
    assert allowed("imports", "org") and allowed("core", "jobs")
    assert not allowed("core", "estate")
