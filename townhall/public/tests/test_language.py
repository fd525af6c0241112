"""Two languages and plain words: every fixed string of the public site has its Spanish,
the Spanish pages show no English of their own, and the fixed English of each public page
reads at or below grade 8. Strings are found the way `makemessages` finds them
(`strings.py`), so a page added later is held to the same without being named here."""

import html

import pytest
import textstat
from django.test import Client
from django.urls import reverse

from townhall.public import kinds
from townhall.public.tests import samples, strings

GRADE = 8


def test_every_public_string_has_its_spanish():
    catalogue = strings.catalogue()
    found = list(strings.messages())
    assert len(found) > 40  # the finder reads the templates and the Python
    missing = []
    for message in found:
        entry = catalogue.get(message.msgid)
        forms = 3 if message.plural else 1  # Spanish has three plural forms in Django
        if (
            entry is None
            or entry.fuzzy
            or entry.plural != message.plural
            or len(entry.msgstr) != forms
            or not all(entry.msgstr)
        ):
            missing.append(f"{message.source}: {message.msgid}")
    assert not missing, "without Spanish (run `make messages-update`, translate):\n" + "\n".join(
        missing
    )


@pytest.mark.django_db
def test_the_spanish_pages_show_no_english_of_their_own(departments):
    records = {kind.key: samples.make(kind.key) for kind in kinds.all_kinds()}
    for kind in kinds.all_kinds():
        samples.publish(kind.key, list(kind.field_names))
    catalogue = strings.catalogue()
    # English that Spanish changes, of two words or more (a lone "Stage" may be a record's).
    english = {
        m.msgid
        for m in strings.messages()
        if " " in m.msgid and "%(" not in m.msgid and catalogue[m.msgid].msgstr[0] != m.msgid
    }
    kind = kinds.all_kinds()[0]
    pages = [
        reverse("public:home"),
        reverse("public:list", args=[kind.slug]),
        reverse("public:detail", args=[kind.slug, records[kind.key].pk]),
        reverse("public:search") + "?q=Zqtitle",
    ]
    visitor = Client(headers={"accept-language": "es"})
    for address in pages:
        page = html.unescape(visitor.get(address).content.decode())
        assert "Ir al contenido principal" in page, address  # the compiled Spanish is read
        shown = sorted(e for e in english if e in page)
        assert not shown, (address, shown)


def test_the_fixed_english_of_each_public_page_is_at_most_grade_8():
    # The measure itself: a hard sentence is over the bar, a plain one under it.
    assert (
        textstat.flesch_kincaid_grade(
            "Notwithstanding organizational considerations, jurisdictional procurement "
            "determinations necessitate comprehensive interdepartmental evaluation."
        )
        > GRADE
    )
    assert textstat.flesch_kincaid_grade("See what the county bought and why.") <= GRADE
    grades, pieces = {}, []
    for path in strings.public_templates():
        text = strings.fixed_text(path)
        if path.name == "base.html" or "{% extends" in path.read_text():
            grades[path.name] = textstat.flesch_kincaid_grade(text)
        elif text:
            pieces.append(text)  # a piece included in pages, too short to grade alone
    if pieces:
        grades["included pieces"] = textstat.flesch_kincaid_grade(" ".join(pieces))
    # The labels and lines of the public Python (kinds, errors), read as one page.
    grades["python"] = textstat.flesch_kincaid_grade(
        " ".join(
            strings.sentence(m.msgid)
            for p in strings.public_modules()
            for m in strings.module_messages(p)
        )
    )
    assert {"base.html", "home.html", "list.html", "detail.html"} <= set(grades)
    over = {name: grade for name, grade in grades.items() if grade > GRADE}
    assert not over, f"over grade {GRADE}; write these more plainly: {over}"
