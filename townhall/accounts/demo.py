"""Demo sign-ins, one per role, all with the same published demo password."""

from townhall.accounts import services
from townhall.accounts.models import Role, User
from townhall.core import context

DEMO_PASSWORD = "townhall-demo-2026"  # noqa: S105 - published in the README; demo only

DEMO_USERS = [
    ("admin", Role.ADMIN, None, "Avery", "Admin"),
    ("manager", Role.IT_MANAGER, None, "Morgan", "Manager"),
    ("staff", Role.STAFF, None, "Sam", "Staff"),
    ("liaison", Role.LIAISON, "PW", "Lee", "Liaison"),
    ("board", Role.BOARD, None, "Bailey", "Board"),
    ("viewer", Role.VIEWER, None, "Vic", "Viewer"),
]


def load(scale: str = "small", seed: int = 1) -> int:
    created = 0
    for username, role, dept, first, last in DEMO_USERS:
        if User.objects.filter(username=username).exists():
            continue
        services.create_user(
            context.SYSTEM,
            username=username,
            role=role,
            password=DEMO_PASSWORD,
            department_code=dept,
            first_name=first,
            last_name=last,
            email=f"{username}@juniper-county.example",
        )
        created += 1
    return created
