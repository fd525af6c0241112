"""Account actions: creating people and their API tokens (tokens: tokens.py; sessions:
sessions.py; sign-in throttling: throttle.py)."""

import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from townhall.accounts import tokens
from townhall.accounts.models import ApiToken, Role, User
from townhall.core import context, services
from townhall.org.models import Department


def create_user(
    actor: Any,
    *,
    username: str,
    role: str,
    password: str,
    department_code: str | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create a person who can sign in; recorded in the audit trail like any other change."""
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; use one of {', '.join(Role.values)}.")
    department = None
    if department_code:
        department = Department.objects.filter(code__iexact=department_code).first()
        if department is None:
            raise ValueError(f"No department has the code {department_code!r}.")
    if role == Role.LIAISON and department is None:
        raise ValueError("A department liaison needs a department (--department CODE).")
    user = User(username=username, role=role, department=department, email=email)
    validate_password(password, user)
    return services.create(
        actor,
        User,
        {
            "username": username,
            "role": role,
            "department": department,
            "email": email,
            "first_name": first_name,
            "last_name": last_name,
            "password": password,
        },
    )


def token_for(
    user: User,
    *,
    name: str = "API token",
    scope: str = ApiToken.Scope.WRITE,
    days: int = tokens.DEFAULT_DAYS,
    actor: Any = None,
) -> str:
    """A new API token for `user` (others they hold keep working); returns its secret."""
    expires = timezone.now() + datetime.timedelta(days=days)
    _, secret = tokens.create(
        actor or context.SYSTEM, user, name=name, scope=scope, expires_at=expires
    )
    return secret
