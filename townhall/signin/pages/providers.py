"""Administrators' pages for sign-in providers: those the environment names (read-only
here) and those added, changed, switched off and deleted on the page."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from townhall.core import services
from townhall.core.http import SignedInRequest
from townhall.signin import providers, sealing
from townhall.signin.forms import SignInProviderForm
from townhall.signin.models import SignInProvider
from townhall.signin.pages.mappings import _admin_only, _version


def state(row: SignInProvider, taken: set[str]) -> str:
    """What an administrator needs to know about a page-made provider at a glance."""
    if row.provider_id in taken:
        return "Not offered: the server's environment names a provider of the same name"
    if not row.enabled:
        return "Switched off"
    if row.kind == SignInProvider.Kind.OIDC and sealing.unseal(row.client_secret) is None:
        return "Not offered: its secret must be entered again"
    return "On"


def provider_list(request: SignedInRequest) -> HttpResponse:
    _admin_only(request)
    taken = providers.environment_ids()
    page = list(SignInProvider.objects.restrict(request.user))
    environment = [
        {"id": app["provider_id"], "name": app["name"], "kind": "OpenID Connect"}
        for app in providers.environment_oidc()
    ] + [
        {"id": app["provider_id"], "name": app["name"], "kind": "SAML 2.0"}
        for app in providers.environment_saml()
    ]
    rows = [{"object": row, "state": state(row, taken)} for row in page]
    return render(request, "signin/providers.html", {"environment": environment, "rows": rows})


def provider_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    _admin_only(request)
    obj = None
    if pk is not None:
        obj = get_object_or_404(SignInProvider.objects.restrict(request.user, "change"), pk=pk)
    form = SignInProviderForm(
        request.POST if request.method == "POST" else None,
        instance=obj,
        initial={"version": obj.version} if obj else {},
    )
    if request.method == "POST" and _save(request, form, obj):
        return redirect("signin:providers")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "signin/provider_form.html",
        {"form": form, "object": obj, "needs_secret": _needs_secret(obj)},
        status=status,
    )


def _needs_secret(obj: SignInProvider | None) -> bool:
    return (
        obj is not None
        and obj.kind == SignInProvider.Kind.OIDC
        and sealing.unseal(obj.client_secret) is None
    )


def _save(request: SignedInRequest, form: SignInProviderForm, obj: SignInProvider | None) -> bool:
    if not form.is_valid():
        return False
    values: dict[str, Any] = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    if obj is not None:
        values.pop("provider_id", None)
    try:
        if obj is None:
            saved = services.create(request.user, SignInProvider, values)
        else:
            saved = services.update(
                request.user, obj, values, version=form.cleaned_data.get("version")
            )
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return False
    except services.ConflictError as exc:
        form.add_error(None, str(exc))
        return False
    providers.forget(request)
    messages.success(request, f"Saved: {saved}.")
    return True


def provider_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    obj = get_object_or_404(SignInProvider.objects.restrict(request.user, "delete"), pk=pk)
    if request.method == "POST":
        name = str(obj)
        try:
            services.delete(request.user, obj, version=_version(request.POST.get("version")))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("signin:provider_delete", pk=pk)
        except services.ConflictError as exc:
            messages.error(request, str(exc))
            return redirect("signin:provider_delete", pk=pk)
        providers.forget(request)
        messages.success(request, f"Deleted: {name}. Its button is gone from the sign-in page.")
        return redirect("signin:providers")
    return render(request, "signin/provider_delete.html", {"object": obj})
