"""Shared fixtures: a small organization and one signed-in person per role."""

import pytest
from django.core.cache import cache
from django.test import Client

from townhall.accounts.models import Role, User
from townhall.core import context, services
from townhall.org.models import Department

PASSWORD = "correct-horse-battery-9"


def pytest_configure(config: pytest.Config) -> None:
    """Each test process keeps its own cache: the shared file cache under var/ would let
    parallel workers (each on its own database) read each other's kept figures."""
    from django.conf import settings

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # A fast hasher: tests create many accounts; real installs keep Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Figures kept until the next change are keyed by the newest audit entry's id, which
    a rolled-back test can hand on to the next: each test starts with nothing kept."""
    cache.clear()


@pytest.fixture
def departments(db) -> dict[str, Department]:
    with context.acting("system"):
        pw = services.create(context.SYSTEM, Department, {"name": "Public Works", "code": "PW"})
        fin = services.create(context.SYSTEM, Department, {"name": "Finance", "code": "FIN"})
    return {"PW": pw, "FIN": fin}


def make_user(username: str, role: str, department: Department | None = None) -> User:
    with context.writing():
        user = User(username=username, role=role, department=department)
        user.set_password(PASSWORD)
        user.save()
    return user


@pytest.fixture
def users(departments) -> dict[str, User]:
    return {
        "admin": make_user("admin1", Role.ADMIN),
        "staff": make_user("staff1", Role.STAFF),
        "liaison": make_user("liaison1", Role.LIAISON, departments["PW"]),
        "board": make_user("board1", Role.BOARD),
        "viewer": make_user("viewer1", Role.VIEWER),
    }


@pytest.fixture
def client_for(users):
    """client_for("staff") -> a Client signed in as that role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make
