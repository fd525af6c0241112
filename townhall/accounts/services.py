"""Account actions: creating people, tokens, and the sign-in throttle."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone
from rest_framework.authtoken.models import Token

from townhall.accounts.models import LoginFailure, Role, User
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
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user).key


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str) -> bool:
    recent = LoginFailure.objects.filter(username__iexact=username, at__gte=_window_start())
    return recent.count() >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, ip: str | None) -> None:
    LoginFailure.objects.create(username=username[:150], ip_address=ip)
    LoginFailure.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=30)).delete()


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()
