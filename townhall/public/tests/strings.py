"""The public site's fixed strings, found in its templates and Python the way Django's
`makemessages` finds them, so the tests that every one is translated and plainly written
cover pages added later without being told of them."""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation.template import templatize

APP = Path(__file__).resolve().parent.parent
TEMPLATES = settings.BASE_DIR / "templates" / "public"
CATALOGUE = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
# Calls that mark a string for translation, and where the message is among their arguments.
_CALLS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
    "npgettext": 1,
    "npgettext_lazy": 1,
}
_TEMPLATIZED = re.compile(r"\b(n?p?gettext)\(((?:\s*u?'(?:[^'\\]|\\.)*'\s*,?)+)")


@dataclass(frozen=True)
class Message:
    """One string to translate: its English (and plural), and where it is."""

    msgid: str
    plural: str
    source: str


def public_templates() -> list[Path]:
    """Every template of the public site; a staff page kept beside them (one extending the
    staff `base.html`, such as choosing what is public) is in English only."""
    return sorted(
        p
        for p in TEMPLATES.rglob("*.html")
        if not re.search(r"{%\s*extends\s+[\"']base\.html[\"']", p.read_text())
    )


def public_modules() -> list[Path]:
    return sorted(
        p
        for p in APP.rglob("*.py")
        if "tests" not in p.relative_to(APP).parts and "migrations" not in p.parts
    )


def template_messages(path: Path) -> list[Message]:
    """The strings a template marks for translation, as `makemessages` reads them."""
    found = []
    for match in _TEMPLATIZED.finditer(templatize(path.read_text(), str(path))):
        args = ast.literal_eval("(" + match.group(2).strip().rstrip(",") + ",)")
        if match.group(1).startswith("np") or match.group(1).startswith("p"):
            args = args[1:]
        plural = args[1] if match.group(1).startswith(("n", "np")) and len(args) > 1 else ""
        found.append(Message(args[0], plural, path.name))
    return found


def module_messages(path: Path) -> list[Message]:
    """The strings a Python module marks for translation."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        if name not in _CALLS:
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant)]
        args = [a for a in args[_CALLS[name] :] if isinstance(a, str)]
        if args:
            plural = args[1] if name.startswith(("n", "np")) and len(args) > 1 else ""
            found.append(Message(args[0], plural, path.name))
    return found


def messages() -> Iterator[Message]:
    for path in public_templates():
        yield from template_messages(path)
    for path in public_modules():
        yield from module_messages(path)


def fixed_text(path: Path) -> str:
    """A page's fixed English words, the template's and those of the public templates it
    extends: strings to translate and any text outside tags, each as a sentence, with
    record data (`{{ … }}`, placeholders) left out."""
    source = path.read_text()
    parent = re.search(r"{%\s*extends\s+[\"']public/([^\"']+)[\"']", source)
    inherited = fixed_text(TEMPLATES / parent.group(1)) if parent else ""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*blocktrans.*?{%\s*endblocktrans\w*\s*%}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]*>", "\n", source, flags=re.S)
    loose = [line.strip() for line in source.splitlines()]
    words = [m.msgid for m in template_messages(path)] + [
        line for line in loose if re.search(r"[A-Za-z]{2}", line)
    ]
    return " ".join([inherited, *(sentence(w) for w in words)]).strip()


def sentence(text: str) -> str:
    text = re.sub(r"%\(\w+\)[sd]", "", text).strip()
    return text if text[-1:] in ".?!" else text + "."


@dataclass
class Entry:
    msgid: str = ""
    plural: str = ""
    msgstr: tuple[str, ...] = ()
    fuzzy: bool = False


def catalogue(path: Path = CATALOGUE) -> dict[str, Entry]:
    """A gettext catalogue (.po), read simply: msgid → its entry."""
    entries: dict[str, Entry] = {}
    for block in path.read_text().split("\n\n"):
        entry, key, strings = Entry(), "", {}
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry.fuzzy = True
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                strings[key] += ast.literal_eval(line)
            else:
                key, _, rest = line.partition(" ")
                strings[key] = ast.literal_eval(rest)
        entry.msgid = strings.get("msgid", "")
        entry.plural = strings.get("msgid_plural", "")
        entry.msgstr = tuple(v for k, v in sorted(strings.items()) if k.startswith("msgstr"))
        if entry.msgid:
            entries[entry.msgid] = entry
    return entries
