"""Who someone is, asked in one place: the named predicates of core/permissions.py."""

import pathlib
import re

import pytest

import townhall
from townhall.core import permissions

# Files that may read a person's role directly: the predicates themselves, the account
# model that holds the choices, and the menu, which lists the roles offered each page.
ALLOWED = {"core/permissions.py", "accounts/models.py", "core/navigation.py"}
ROLE_READ = re.compile(r"user\.role\b|[\"']role[\"'], None")  # a person's role, read


def test_no_role_strings_outside_the_predicates():
    root = pathlib.Path(townhall.__file__).parent
    found = []
    for path in root.rglob("*.py"):
        name = str(path.relative_to(root))
        if name in ALLOWED or "tests" in path.parts or "tests_browser" in path.parts:
            continue
        if name.endswith("demo.py") or "/migrations/" in name:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_READ.search(line):
                found.append(f"{name}:{number}: {line.strip()}")
    assert not found, "ask core.permissions (is_admin, is_it_staff, …) instead:\n" + "\n".join(
        found
    )


@pytest.mark.django_db
def test_predicates_answer_for_each_role(users, departments):
    answers = {
        role: (
            permissions.is_admin(user),
            permissions.is_it_staff(user),
            permissions.is_board(user),
            permissions.is_liaison(user),
            permissions.sees_personnel(user),
        )
        for role, user in users.items()
    }
    assert answers == {
        "admin": (True, True, False, False, True),
        "manager": (False, True, False, False, True),
        "staff": (False, True, False, False, False),
        "board": (False, False, True, False, False),
        "liaison": (False, False, False, True, False),
        "viewer": (False, False, False, False, False),
    }
    liaison = users["liaison"]  # of Public Works
    assert permissions.is_liaison_of(liaison, departments["PW"].pk)
    assert not permissions.is_liaison_of(liaison, departments["FIN"].pk)
    assert not permissions.is_liaison_of(liaison, None)
    assert not permissions.is_liaison_of(users["staff"], departments["PW"].pk)
    assert not permissions.is_admin(None)
