"""Administrators' pages for sign-in providers: those the environment names (read-only
here) and those added, changed, switched off and deleted on the page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from townhall.core.http import SignedInRequest
from townhall.signin import providers, sealing
from townhall.signin.forms import SignInProviderForm
from townhall.signin.models import SignInProvider
from townhall.signin.pages.saving import admin_only, delete_record, save_form


def state(row: SignInProvider, taken: set[str]) -> str:
    """What an administrator needs to know about a page-made provider at a glance."""
    if row.provider_id in taken:
        return "Not offered: the server's environment names a provider of the same name"
    if not row.enabled:
        return "Switched off"
    missing = providers.unopened(row)
    if missing:
        return f"Not offered: its {missing} must be entered again"
    return "On"


def roles(row: SignInProvider) -> str:
    if row.kind == SignInProvider.Kind.SAML:
        return "From groups" + (
            f" (attribute {row.groups_attribute})" if row.groups_attribute else ""
        )
    return providers.roles_given(row.roles, row.groups_claim)


def provider_list(request: SignedInRequest) -> HttpResponse:
    admin_only(request)
    taken = providers.environment_ids()
    page = list(SignInProvider.objects.restrict(request.user))
    environment = [
        {
            "id": app["provider_id"],
            "name": app["name"],
            "kind": "OpenID Connect",
            "roles": providers.app_roles_given(app),
        }
        for app in providers.environment_oidc()
    ] + [
        {"id": app["provider_id"], "name": app["name"], "kind": "SAML 2.0", "roles": "From groups"}
        for app in providers.environment_saml()
    ]
    rows = [{"object": row, "state": state(row, taken), "roles": roles(row)} for row in page]
    return render(request, "signin/providers.html", {"environment": environment, "rows": rows})


def provider_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    admin_only(request)
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
        {
            "form": form,
            "object": obj,
            "needs_secret": providers.unopened(obj) if obj else "",
            "public_key": _public_key(obj),
        },
        status=status,
    )


def _public_key(obj: SignInProvider | None) -> str:
    """The public half of the kept private key, for the administrator to check which key is
    set or to register at the provider; the private key itself is never shown."""
    pem = sealing.unseal_key(obj.private_key) if obj and obj.private_key else None
    if not pem:
        return ""
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_private_key,
    )

    try:
        key = load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        return ""
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def provider_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    admin_only(request)
    obj = get_object_or_404(SignInProvider.objects.restrict(request.user, "delete"), pk=pk)
    if request.method == "POST":
        name = str(obj)
        if not delete_record(request, obj):
            return redirect("signin:provider_delete", pk=pk)
        providers.forget(request)
        messages.success(request, f"Deleted: {name}. Its button is gone from the sign-in page.")
        return redirect("signin:providers")
    return render(request, "signin/provider_delete.html", {"object": obj})


def _save(request: SignedInRequest, form: SignInProviderForm, obj: SignInProvider | None) -> bool:
    """A provider's name is in the addresses registered at the provider: it never changes."""
    if not save_form(request, form, SignInProvider, obj, fixed=("provider_id",)):
        return False
    providers.forget(request)
    return True
