"""What the administrators' sign-in pages share: who may use them, and saving or deleting a
record through the write path with refusals and conflicts shown on the page."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import BaseForm

from townhall.core import permissions, services
from townhall.core.http import SignedInRequest


def admin_only(request: SignedInRequest) -> None:
    if not permissions.is_admin(request.user):
        raise PermissionDenied("Only administrators manage single sign-on.")


def version_of(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def save_form(
    request: SignedInRequest,
    form: BaseForm,
    model: type[models.Model],
    obj: models.Model | None,
    *,
    fixed: tuple[str, ...] = (),
) -> bool:
    """Create or change the record from the form, as the administrator; `fixed` names the
    fields a saved record keeps whatever is posted. A refusal goes next to the field it
    names (or above the form) and a conflict above the form; returns whether it saved."""
    if not form.is_valid():
        return False
    values: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    if obj is not None:
        for name in fixed:
            values.pop(name, None)
    try:
        if obj is None:
            saved = services.create(request.user, model, values)
        else:
            saved = services.update(
                request.user, obj, values, version=form.cleaned_data.get("version")
            )
    except ValidationError as exc:
        for field, problems in exc.message_dict.items() if hasattr(exc, "error_dict") else []:
            form.add_error(field if field in form.fields else None, problems)
        if not hasattr(exc, "error_dict"):
            form.add_error(None, exc.messages)
        return False
    except services.ConflictError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(request, f"Saved: {saved}.")
    return True


def delete_record(request: SignedInRequest, obj: models.Model) -> bool:
    """Delete the record as the administrator, at the version the page showed; a refusal
    or a conflict becomes a message. Returns whether it was deleted."""
    try:
        services.delete(request.user, obj, version=version_of(request.POST.get("version")))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    except services.ConflictError as exc:
        messages.error(request, str(exc))
        return False
    return True
