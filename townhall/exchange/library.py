"""The practice library's rules, shared by hub and member: the kinds of document, the
licences a member may share under, and the checks a shared document must pass before the
hub keeps it. Plain Python (no Django): the hub's API and the member's form use the same
words and refuse for the same reasons.

Why the file's type is read from its bytes: a name is only a claim, and a member who
downloads a "policy.pdf" must get a PDF, not whatever was renamed to look like one."""

import base64
import binascii
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from townhall.exchange.priorities import PRIORITIES

MAX_FILE = 10 * 1024 * 1024  # bytes, the file itself
MAX_BODY = MAX_FILE * 4 // 3 + 64 * 1024  # the JSON body carrying it in base64
MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_NAME = 200

KINDS: tuple[tuple[str, str], ...] = (
    ("policy", "Policy"),
    ("rfp_template", "RFP template"),
    ("plan", "Plan"),
    ("job_description", "Job description"),
    ("other", "Other"),
)

# SPDX identifier -> (name, what it lets other members do, in one line)
LICENCES: dict[str, tuple[str, str]] = {
    "CC0-1.0": ("CC0 1.0", "Anyone may use, change and share it, with no credit needed."),
    "CC-BY-4.0": (
        "CC BY 4.0",
        "Anyone may use, change and share it, crediting the jurisdiction that shared it.",
    ),
    "CC-BY-SA-4.0": (
        "CC BY-SA 4.0",
        "Anyone may use and change it, crediting the sharer and sharing changes alike.",
    ),
    "members-only": (
        "Members only, no redistribution",
        "Members may read and adapt it for their own use, but not pass it on.",
    ),
}

SHOWN_AS: tuple[tuple[str, str], ...] = (
    ("jurisdiction", "As from our jurisdiction, by name"),
    ("member", "As from a member, without our name"),
)

# extension -> (what it is, content type served)
FILE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "application/pdf"),
    "docx": (
        "Word document",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ("Excel workbook", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": ("OpenDocument text", "application/vnd.oasis.opendocument.text"),
    "txt": ("Text", "text/plain; charset=utf-8"),
    "md": ("Markdown", "text/markdown; charset=utf-8"),
}

_PRIORITY_KEYS = {p.key for p in PRIORITIES}
_KIND_KEYS = {k for k, _ in KINDS}
_SHOWN_KEYS = {k for k, _ in SHOWN_AS}


class Refused(ValueError):
    """A shared document the hub will not keep; the message names the field and why."""


def _zip_names(data: bytes) -> set[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None


def _odt(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("mimetype")
            if info.file_size > 100:
                return False
            return archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError, RuntimeError):
        return False


def file_type(data: bytes) -> str | None:
    """What the bytes are (a key of FILE_TYPES; text is "txt"), or None when none we take."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        names = _zip_names(data)
        if names is None:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "mimetype" in names and _odt(data):
            return "odt"
        return None
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "txt"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_file(name: str, data: bytes) -> str:
    """The file's extension once its bytes are what its name says; raises Refused."""
    ext = extension(name)
    if ext not in FILE_TYPES:
        allowed = ", ".join(sorted(FILE_TYPES))
        raise Refused(f"file: the name must end in one of {allowed}.")
    if not data:
        raise Refused("file: the file is empty.")
    if len(data) > MAX_FILE:
        raise Refused(f"file: the file must be at most {MAX_FILE // (1024 * 1024)} MB.")
    found = file_type(data)
    expected = "txt" if ext == "md" else ext
    if found != expected:
        raise Refused(
            f"file: the name says {FILE_TYPES[ext][0]} but the content is "
            f"{FILE_TYPES[found][0] if found else 'none of the kinds the library takes'}."
        )
    return ext


def _text(doc: dict[str, Any], key: str, limit: int, field: str | None = None) -> str:
    value = doc.get(key)
    name = field or key
    if not isinstance(value, str) or not value.strip():
        raise Refused(f"{name}: required.")
    value = value.strip()
    if len(value) > limit or "\x00" in value:
        raise Refused(f"{name}: at most {limit} characters, no NUL.")
    return value


def safe_file_name(name: str) -> str:
    """The file name kept and offered on download: no folders, no quotes, bounded."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(c if c.isalnum() or c in "._- " else "_" for c in base).strip(" .")
    return kept[-100:] or "document"


@dataclass(frozen=True)
class Share:
    """A shared document that passed every check, ready for the hub to keep."""

    title: str
    kind: str
    summary: str
    priorities: list[str]
    licence: str
    consent_name: str
    consent_title: str
    consent_day: datetime.date
    shown_as: str
    file_name: str
    content: bytes
    sha256: str


def check_share(doc: object, today: datetime.date) -> Share:
    """The member's share request (JSON) checked field by field; raises Refused with the
    first reason."""
    if not isinstance(doc, dict):
        raise Refused("The body must be a JSON object.")
    title = _text(doc, "title", MAX_TITLE)
    kind = doc.get("kind")
    if kind not in _KIND_KEYS:
        raise Refused(f"kind: one of {', '.join(sorted(_KIND_KEYS))}.")
    summary = doc.get("summary") or ""
    if not isinstance(summary, str) or len(summary) > MAX_SUMMARY or "\x00" in summary:
        raise Refused(f"summary: text of at most {MAX_SUMMARY} characters.")
    priorities = doc.get("priorities")
    if (
        not isinstance(priorities, list)
        or not priorities
        or len(priorities) > len(_PRIORITY_KEYS)
        or not all(isinstance(p, str) and p in _PRIORITY_KEYS for p in priorities)
    ):
        raise Refused("priorities: at least one, each a known priority key.")
    licence = doc.get("licence")
    if licence not in LICENCES:
        raise Refused(f"licence: one of {', '.join(LICENCES)}.")
    consent = doc.get("consent")
    if not isinstance(consent, dict):
        raise Refused("consent: required: who consented (name, title) and the day.")
    consent_name = _text(consent, "name", MAX_NAME, "consent name")
    consent_title = _text(consent, "title", MAX_NAME, "consent title")
    day_text = consent.get("day")
    try:
        day = datetime.date.fromisoformat(day_text) if isinstance(day_text, str) else None
    except ValueError:
        day = None
    if day is None or len(day_text or "") != 10:
        raise Refused("consent day: a date as YYYY-MM-DD.")
    if day > today or day.year < 2000:
        raise Refused("consent day: not in the future, nor before 2000.")
    shown_as = doc.get("shown_as")
    if shown_as not in _SHOWN_KEYS:
        raise Refused(f"shown_as: one of {', '.join(sorted(_SHOWN_KEYS))}.")
    name = doc.get("file_name")
    if not isinstance(name, str) or not name or len(name) > 255:
        raise Refused("file_name: required, at most 255 characters.")
    encoded = doc.get("file")
    if not isinstance(encoded, str) or not encoded:
        raise Refused("file: required, as base64.")
    if len(encoded) > MAX_FILE * 4 // 3 + 8:
        raise Refused(f"file: the file must be at most {MAX_FILE // (1024 * 1024)} MB.")
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Refused("file: not valid base64.") from None
    file_name = safe_file_name(name)
    check_file(file_name, content)
    return Share(
        title=title,
        kind=kind,
        summary=summary.strip(),
        priorities=sorted(set(priorities)),
        licence=licence,
        consent_name=consent_name,
        consent_title=consent_title,
        consent_day=day,
        shown_as=shown_as,
        file_name=file_name,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
