"""NIST's machine-readable release of the NICE Workforce Framework for Cybersecurity, read
in plain Python (no Django). NIST publishes the framework's components in the layout of its
Cybersecurity and Privacy Reference Tool: `{"response": {"elements": {"documents": [...],
"elements": [...], "relationships": [...]}}}`, each element an object with
`element_type`, `element_identifier`, `title` and `text`. We read the work roles
("work_role") and competency areas ("competency_area"); tasks, knowledge and skill
statements are left for later.

Bad input is refused with a message naming the element and the field."""

import json
import re
from dataclasses import dataclass

KINDS = {"work_role": "work_role", "competency_area": "competency_area"}
IDENTIFIER = {
    "work_role": re.compile(r"^[A-Z]{2}-WRL-\d{3}$"),
    "competency_area": re.compile(r"^NF-COM-\d{3}$"),
}
MAX_TITLE = 200


class NiceError(ValueError):
    """The file is not a NICE Framework components release we can read; says where."""


@dataclass(frozen=True)
class Element:
    code: str
    name: str
    kind: str  # "work_role" or "competency_area", as Skill.Kind
    description: str
    document: str  # the release it came from ("NICE Framework v1.0.0")


def _elements(data: object) -> tuple[list, str]:
    """The list of elements and the release's name, from either the full answer
    (`response.elements`) or its inner object."""
    if isinstance(data, dict) and "response" in data:
        data = data["response"]
    if isinstance(data, dict) and isinstance(data.get("elements"), dict):
        data = data["elements"]
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise NiceError(
            "This is not a NICE Framework components file: no list of elements "
            '(expected {"response": {"elements": {"elements": [...]}}}).'
        )
    release = ""
    documents = data.get("documents")
    if isinstance(documents, list) and documents and isinstance(documents[0], dict):
        document = documents[0]
        name = str(document.get("name") or document.get("doc_identifier") or "")
        version = str(document.get("version") or "")
        release = f"{name} {version}".strip()
    return data["elements"], release


def parse(text: str | bytes) -> list[Element]:
    """The work roles and competency areas in a NICE components release, in file order."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as e:
        raise NiceError(f"The file is not JSON: {e}.") from e
    elements, release = _elements(data)
    found: list[Element] = []
    seen: dict[str, int] = {}
    for number, element in enumerate(elements, start=1):
        where = f"Element {number}"
        if not isinstance(element, dict):
            raise NiceError(f"{where} is not an object.")
        kind = element.get("element_type")
        if kind not in KINDS:
            continue
        code = element.get("element_identifier")
        if not isinstance(code, str) or not code.strip():
            raise NiceError(f"{where} ({kind}) has no element_identifier.")
        code = code.strip()
        where = f"Element {number} ({code})"
        if not IDENTIFIER[kind].match(code):
            raise NiceError(
                f"{where}: element_identifier is not a NICE {kind.replace('_', ' ')} "
                "identifier (like OG-WRL-001 or NF-COM-001)."
            )
        title = element.get("title")
        if not isinstance(title, str) or not title.strip():
            raise NiceError(f"{where} has no title.")
        if len(title.strip()) > MAX_TITLE:
            raise NiceError(f"{where}: the title is longer than {MAX_TITLE} characters.")
        description = element.get("text") or ""
        if not isinstance(description, str):
            raise NiceError(f"{where}: text is not a string.")
        if code in seen:
            raise NiceError(f"{where} appears twice (also element {seen[code]}).")
        seen[code] = number
        doc = element.get("doc_identifier")
        found.append(
            Element(
                code=code,
                name=" ".join(title.split()),
                kind=KINDS[kind],
                description=description.strip(),
                document=release or (doc if isinstance(doc, str) else "") or "NICE Framework",
            )
        )
    if not found:
        raise NiceError("The file holds no work roles or competency areas.")
    return found
