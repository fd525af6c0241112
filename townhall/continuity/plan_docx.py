"""The recovery plan as an editable Word document, for leaders who adapt the wording.

Word's own heading styles (Heading 1 for the plan's parts, Heading 2 within them) give the
document its navigation pane and table of contents; the sequence, contacts and runbook
facts are real tables; each runbook is a section of its own, starting on a new page. Every
page's header carries the version line: DRAFT for a draft, or who approved it and when.

Text from records may hold characters XML does not allow (a pasted form feed or NUL);
they are dropped, since Word would refuse the file.
"""

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

import docx
from docx.enum.section import WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from townhall.continuity import plan_content, plans
from townhall.continuity.models import RecoveryPlan

# Not allowed in XML 1.0: C0 controls other than tab, newline and return; U+FFFE, U+FFFF;
# surrogates on their own.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
LINK_COLOUR = RGBColor(0x00, 0x5E, 0xA2)

Cell = str | tuple[str, str] | None  # text, or (text, address) for a link


def clean(text: Any) -> str:
    """Text Word accepts: characters XML cannot hold are dropped."""
    return "" if text is None else _INVALID.sub("", str(text))


def _person(p: dict[str, Any] | None) -> str:
    if not p:
        return "not assigned"
    parts = [p["name"] + (f", {p['title']}" if p.get("title") else "")]
    parts += [v for v in (p.get("phone"), p.get("email")) if v]
    return " · ".join(parts)


class _Writer:
    """Paragraphs, headings, tables and links onto one document."""

    def __init__(self, document: Any, site: str) -> None:
        self.doc = document
        self.site = site.rstrip("/")
        self._links: dict[str, str] = {}

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(clean(text), level=level)

    def para(self, text: str = "", *, bold: bool = False, style: str | None = None) -> Any:
        paragraph = self.doc.add_paragraph(style=style)
        if text:
            paragraph.add_run(clean(text)).bold = bold
        return paragraph

    def lines(self, text: str, empty: str = "Not written yet.") -> None:
        """A written section: one paragraph per line."""
        parts = [line.strip() for line in clean(text).splitlines() if line.strip()]
        for line in parts or [empty]:
            self.para(line)

    def labelled(self, label: str, text: Any) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(clean(label) + ": ").bold = True
        paragraph.add_run(clean(text) if text not in (None, "") else "not recorded")

    def _rid(self, url: str) -> str:
        rid = self._links.get(url)
        if rid is None:
            rid = f"rIdLink{len(self._links) + 1}"
            self.doc.part.rels.add_relationship(RT.HYPERLINK, url, rid, is_external=True)
            self._links[url] = rid
        return rid

    def add_text(self, paragraph: Any, text: str, url: str = "") -> None:
        """Text, linked to the record when the document knows the site's address."""
        text = clean(text)
        if not url or not (self.site or url.startswith("http")):
            paragraph.add_run(text)
            return
        address = url if url.startswith("http") else self.site + url
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), self._rid(address))
        run = OxmlElement("w:r")
        props = OxmlElement("w:rPr")
        colour = OxmlElement("w:color")
        colour.set(qn("w:val"), str(LINK_COLOUR))
        underline = OxmlElement("w:u")
        underline.set(qn("w:val"), "single")
        props.append(colour)
        props.append(underline)
        run.append(props)
        node = OxmlElement("w:t")
        node.set(qn("xml:space"), "preserve")
        node.text = text
        run.append(node)
        link.append(run)
        paragraph._p.append(link)

    def chain(self, paragraph: Any, refs: Iterable[dict[str, Any]]) -> None:
        for n, ref in enumerate(refs):
            if n:
                paragraph.add_run(" → ")
            self.add_text(paragraph, ref["name"], ref.get("url", ""))

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        head = table.rows[0]
        flag = OxmlElement("w:tblHeader")  # repeat the header row on every page
        flag.set(qn("w:val"), "true")
        head._tr.get_or_add_trPr().append(flag)
        for cell, text in zip(head.cells, headers, strict=True):
            cell.paragraphs[0].add_run(clean(text)).bold = True
        for values in rows:
            for cell, value in zip(table.add_row().cells, values, strict=True):
                paragraph = cell.paragraphs[0]
                if isinstance(value, tuple):
                    self.add_text(paragraph, value[0], value[1])
                elif value not in (None, ""):
                    paragraph.add_run(clean(value))
        self.doc.add_paragraph()
        return table


def _ref(ref: dict[str, Any] | None) -> Cell:
    return (ref["name"], ref.get("url", "")) if ref else None


def _site(item: dict[str, Any]) -> Cell:
    return _ref(item["recovery_site"]) or "not recorded"


def _procedure(item: dict[str, Any]) -> Cell:
    link = item.get("procedure_link")
    return ("Procedure", link) if link else "—"


def _header(document: Any, line: str, title: str) -> None:
    section = document.sections[0]
    paragraph = section.header.paragraphs[0]
    run = paragraph.add_run(clean(line))
    run.bold = True
    paragraph.add_run("  ·  " + clean(title))
    for run in paragraph.runs:
        run.font.size = Pt(8)


def docx_bytes(plan: RecoveryPlan, content: dict[str, Any], *, site: str = "") -> bytes:
    """The plan as a .docx file: the written sections of `plan` and the generated
    `content` (frozen or live); `site` (https://townhall.example) turns names into links."""
    data = plan_content.expanded(content)
    document = docx.Document()
    w = _Writer(document, site)
    line = plans.status_line(plan)
    props = document.core_properties
    props.title = clean(plan.title)[:255]
    props.subject = "Continuity and disaster recovery plan"
    props.version = str(plan.number)
    props.author = clean(plan.approver_name or data.get("jurisdiction", ""))[:255]
    props.comments = clean(line)[:255]
    _header(document, line, plan.title)

    document.add_heading(clean(plan.title), level=0)
    w.para(data.get("jurisdiction", ""))
    w.para(line, bold=True)
    w.para(plans.generated_line(plan, data) + ".")

    w.heading("Document control", 1)
    w.table(
        ["Version", "Status", "Approved by", "Title", "Date approved"],
        [
            [
                str(plan.number),
                plan.get_status_display(),
                plan.approver_name or "—",
                plan.approver_title or "—",
                plan.approved_on.isoformat() if plan.approved_on else "—",
            ]
        ],
    )
    w.heading("Changes in this version", 2)
    w.lines(plan.changes, "None recorded.")

    w.heading("1. Purpose, scope and assumptions", 1)
    for label, text in (
        ("Purpose", plan.purpose),
        ("Scope", plan.scope),
        ("Planning assumptions", plan.assumptions),
    ):
        w.heading(label, 2)
        w.lines(text)

    _roles_and_contacts(w, data["contacts"])

    w.heading("3. Activation and notification", 1)
    w.heading("Activation criteria", 2)
    w.lines(plan.activation)
    w.heading("Notification procedure", 2)
    w.lines(plan.notification)

    _sequence(w, data)

    w.heading("5. Reconstitution", 1)
    w.lines(plan.reconstitution)

    _gaps(w, data["gaps"])

    w.heading("Appendix: runbooks by service", 1)
    w.para(
        "One runbook per service, mission-essential services first, then by recovery time "
        "objective. Each lists what must be back before the service can be, in recovery "
        "order; the deeper shared infrastructure is restored by the recovery sequence."
    )
    for book in data["runbooks"]:
        document.add_section(WD_SECTION.NEW_PAGE)
        _runbook(w, book)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _roles_and_contacts(w: _Writer, contacts: dict[str, Any]) -> None:
    w.heading("2. Roles and contacts", 1)
    w.labelled("Continuity coordinator", _person(contacts.get("coordinator")))
    w.labelled("Alternate coordinator", _person(contacts.get("alternate_coordinator")))
    w.heading("Plan roles", 2)
    if contacts["roles"]:
        w.table(
            ["Role", "Who", "Alternate", "Responsibilities"],
            [
                [r["role"], _person(r["person"]), _person(r["alternate"]), r["responsibilities"]]
                for r in contacts["roles"]
            ],
        )
    else:
        w.para("No roles are recorded for this version.")
    w.heading("Department contacts", 2)
    w.table(
        ["Department", "Head", "IT liaison"],
        [
            [(d["name"], d["url"]), _person(d["head"]), _person(d["it_liaison"])]
            for d in contacts["departments"]
        ],
    )
    w.heading("System owners", 2)
    if contacts["system_owners"]:
        w.table(
            ["System", "Department", "Business owner", "Technical owner"],
            [
                [
                    _ref(o["system"]),
                    o["department"],
                    _person(o["business_owner"]),
                    _person(o["technical_owner"]),
                ]
                for o in contacts["system_owners"]
            ],
        )
    if contacts["systems_without_owner"]:
        w.para(f"{contacts['systems_without_owner']:,} systems have no owner recorded.")
    w.heading("Vendor support", 2)
    if contacts["vendors"]:
        w.table(
            ["Vendor", "Support contact", "Systems supported"],
            [
                [(v["name"], v["url"]), v["support_contact"] or "not recorded", f"{v['systems']:,}"]
                for v in contacts["vendors"]
            ],
        )
    else:
        w.para("No vendor supports a system recorded in the estate.")


def _sequence(w: _Writer, data: dict[str, Any]) -> None:
    w.heading("4. Recovery sequence", 1)
    counts = data["counts"]
    w.para(
        f"Restore tier by tier: tier 0 needs nothing else, and each later tier needs only "
        f"earlier ones. Within a tier, items can be restored at the same time. "
        f"{counts['items']:,} items in {counts['tiers']:,} tiers."
    )
    for tier in data["sequence"]:
        w.heading(f"Tier {tier['tier']} ({tier['count']:,} items)", 2)
        w.para(f"Longest restore time in this tier: {tier['longest_text']}.")
        w.table(
            ["Item", "Kind", "Department", "Restore time", "Recovery site", "Procedure"],
            [
                [
                    (i["name"], i["url"]),
                    i["kind_label"],
                    i["department"],
                    i["restore_text"],
                    _site(i),
                    _procedure(i),
                ]
                for i in tier["items"]
            ],
        )
        if tier["more"]:
            w.para(f"And {tier['more_text']} more, with no recovery details to list.")


def _gaps(w: _Writer, gaps: dict[str, Any]) -> None:
    w.heading("6. Known gaps", 1)
    w.heading("Services that cannot meet their recovery time objective", 2)
    if gaps["rto_gaps"]:
        rows = []
        for g in gaps["rto_gaps"]:
            rows.append([_ref(g), g["rto_text"], g["recovery_text"], g["gap_text"], ""])
        table = w.table(["Item", "RTO", "Recovers in", "Gap", "Slowest chain"], rows)
        for row, g in zip(table.rows[1:], gaps["rto_gaps"], strict=True):
            w.chain(row.cells[4].paragraphs[0], g["chain"])
    else:
        w.para("None: every service with an RTO can meet it, as far as restore times show.")
    w.heading("Recovery point gaps", 2)
    if gaps["rpo_gaps"]:
        w.table(
            ["Item", "RPO", "Backed up every", "Data store"],
            [
                [_ref(g), g["rpo_text"], g["backup_text"], _ref(g["data_store"])]
                for g in gaps["rpo_gaps"]
            ],
        )
    else:
        w.para("None found.")
    w.heading("Single points of failure", 2)
    if gaps["single_points"]:
        w.table(
            ["Item", "Kind", "Mission-essential services it stops"],
            [[_ref(p), p["kind"].capitalize(), f"{p['count']:,}"] for p in gaps["single_points"]],
        )
    else:
        w.para("None: no service is marked mission-essential, or nothing they need is recorded.")
    if gaps["rto_unconfirmed"]:
        w.heading("Recovery times not yet confirmed", 2)
        paragraph = w.para(
            "These meet their RTO only if the restore times nobody has recorded are short: "
        )
        for n, ref in enumerate(gaps["rto_unconfirmed"]):
            if n:
                paragraph.add_run(", ")
            w.add_text(paragraph, ref["name"], ref.get("url", ""))


def _runbook(w: _Writer, book: dict[str, Any]) -> None:
    service = book["service"]
    w.heading(f"Runbook: {service['name']}", 2)
    department = book["department"]["name"] if book["department"] else "no department recorded"
    w.table(
        ["Fact", "Value"],
        [
            ["Department", department],
            ["Essential function", book["essential_function"] or "not assessed"],
            ["Mission-essential", "Yes" if book["mission_essential"] else "No"],
            ["Maximum tolerable downtime", book["mtd_text"]],
            ["Recovery time objective (RTO)", book["rto_text"]],
            ["Recovery point objective (RPO)", book["rpo_text"]],
            ["Effective recovery time", book["recovery_text"]],
            ["Recovery time objective met?", book["rto_status_text"]],
            ["Data loss", book["rpo"]["text"]],
            ["Minimum staff", book["minimum_staff"] if book["minimum_staff"] is not None else "—"],
        ],
    )
    paragraph = w.para()
    paragraph.add_run("Critical chain: ").bold = True
    w.chain(paragraph, book["chain"])
    w.heading("Restore first", 3)
    if book["restore_first"]:
        w.table(
            ["Tier", "Item", "Kind", "Restore time", "Recovery site", "Procedure"],
            [
                [
                    str(i["tier"]),
                    (i["name"] + (" (critical chain)" if i["on_chain"] else ""), i["url"]),
                    i["kind_label"],
                    i["restore_text"],
                    _site(i),
                    _procedure(i),
                ]
                for i in book["restore_first"]
            ],
        )
    else:
        w.para("Nothing recorded that this service needs.")
    if book["more"]:
        w.para(f"Plus {book['more']:,} shared infrastructure items restored by the sequence.")
    if book["unknown_count"]:
        w.para(
            f"{book['unknown_count']:,} items it needs have no restore time recorded, so the "
            "recovery time is a lower bound."
        )
    w.heading("Working without the systems", 3)
    w.labelled("Manual workarounds", book["manual_workarounds"])
    w.labelled("Minimum staff", book["minimum_staff"])
    w.labelled("Alternate locations", book["alternate_locations"])
    w.labelled("Vital records", book["vital_records"])
    w.labelled("Peak periods", book["peak_periods"])
    w.heading("Contacts", 3)
    if book["contacts"]:
        w.table(
            ["Role", "For", "Who"],
            [[c["role"], _ref(c["of"]) or "", _person(c["person"])] for c in book["contacts"]],
        )
    else:
        w.para("No contacts recorded.")
    if book["vendors"]:
        w.table(
            ["Vendor", "Support contact", "For"],
            [
                [
                    (v["name"], v["url"]),
                    v["support_contact"] or "not recorded",
                    ", ".join(s["name"] for s in v["systems"]),
                ]
                for v in book["vendors"]
            ],
        )
