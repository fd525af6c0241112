"""Every address of the site that README.md and docs/ name answers 200 to the role it is
written for, and every documentation file they name exists: a first reader following the
guide never lands on a 404."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Code spans holding a site address, such as `/governance/` or `GET /healthz`.
ADDRESS = re.compile(r"`(?:GET )?(/[^`\s]*)`")
# Paths on the server's disk, not addresses of the site.
ON_DISK = ("/usr/", "/etc/", "/var/", "/opt/", "/home/", "/run/")
# Addresses written for one role (the rest are for everyone signed in; IT staff check them).
ROLE = {
    "/continuity/my-impact-analyses/": "liaison",
    "/single-sign-on/": "admin",
    "/publishing/": "admin",
    "/exchange/profile/": "admin",
    "/exchange/metrics/": "admin",
    "/exchange/survey/": "manager",
}


def addresses() -> list[tuple[str, str]]:
    found = set()
    for document in DOCUMENTS:
        for path in ADDRESS.findall(document.read_text(encoding="utf-8")):
            if path.startswith(ON_DISK) or "<" in path:  # `/api/<app>/<records>/` is a pattern
                continue
            found.add((document.name, path))
    return sorted(found)


def test_the_documents_name_site_addresses():
    named = {path for _, path in addresses()}
    assert {"/governance/", "/cyber/", "/api/docs/", "/healthz"} <= named


@pytest.mark.django_db
@pytest.mark.parametrize(("document", "path"), addresses())
def test_each_address_in_the_documents_answers(document, path, client_for):
    if path.startswith("/public/"):  # the public site shows what is published, so publish all
        from townhall.public import kinds
        from townhall.public.tests import samples

        for kind in kinds.all_kinds():
            samples.publish(kind.key, list(kind.field_names))
    response = client_for(ROLE.get(path, "staff")).get(path)
    assert response.status_code == 200, f"{document} names {path}: {response.status_code}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_each_documentation_file_named_exists(document):
    text = document.read_text(encoding="utf-8")
    named = set(re.findall(r"`?(docs/[\w.-]+\.md)`?", text))
    named |= {f"docs/{n}" for n in re.findall(r"\]\(([\w.-]+\.md)\)", text)}
    missing = sorted(n for n in named if not (ROOT / n).exists())
    assert not missing, f"{document.name} names missing files: {missing}"
