"""Account actions: creating people and their API tokens (sign-in throttling: throttle.py)."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from rest_framework.authtoken.models import Token

from townhall.accounts.models import Role, User
from townhall.core import services
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


def token_for(user: User) -> str:
    """A new API token for `user`, replacing the old one (which stops working)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def token_of(user: User) -> Token | None:
    return Token.objects.filter(user=user).first()


def revoke_token(user: User) -> bool:
    """Stop `user`'s API token working; False when they had none."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)
