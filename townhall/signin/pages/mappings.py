"""Administrators' pages: which provider group gives which role, and refused sign-ins."""

from typing import Any

from allauth.utils import build_absolute_uri
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from townhall.core import services
from townhall.core.http import SignedInRequest
from townhall.signin import providers as signin_providers
from townhall.signin import saml
from townhall.signin.forms import GroupMappingForm, MetadataImportForm
from townhall.signin.models import (
    BreakGlassSignIn,
    GroupMapping,
    Identity,
    ImportedMetadata,
    SignInProvider,
    SignInRefusal,
)
from townhall.signin.pages.flow import provider_apps, providers
from townhall.signin.pages.saving import admin_only, delete_record, save_form

# The refusals page shows the newest ones; older ones stay in the audit log.
REFUSALS_SHOWN = 50
# Links to provider identities shown at once (a search narrows them).
LINKS_SHOWN = 50


def mapping_list(request: SignedInRequest) -> HttpResponse:
    admin_only(request)
    mappings = GroupMapping.objects.restrict(request.user).select_related("department")
    refusals = SignInRefusal.objects.restrict(request.user).select_related("user")
    return render(
        request,
        "signin/mappings.html",
        {
            "mappings": mappings,
            "providers": configured(request),
            "saml_providers": saml_configured(request),
            "refusals": refusals[:REFUSALS_SHOWN],
            "break_glass": BreakGlassSignIn.objects.restrict(request.user)[:REFUSALS_SHOWN],
        },
    )


def configured(request: HttpRequest) -> list[dict[str, Any]]:
    """What an administrator needs to check a provider's set-up (never its secret), with
    the redirect address to register there."""
    rows = []
    for app in provider_apps(request):
        options = app.get("settings", {})
        callback = reverse("openid_connect_callback", args=[app["provider_id"]])
        rows.append(
            {
                "id": app["provider_id"],
                "name": app["name"],
                "issuer": options.get("issuer", ""),
                "client_id": app.get("client_id", ""),
                "groups_claim": options.get("groups_claim", "groups"),
                "roles": signin_providers.app_roles_given(app),
                "tenants": options.get("tenants", []),
                "redirect_uri": build_absolute_uri(request, callback),
            }
        )
    return rows


def saml_configured(request: HttpRequest) -> list[dict[str, Any]]:
    """Each SAML provider with the two addresses its administrators enter there (or read
    from Townhall's metadata): the entity ID and the reply (ACS) address."""
    if not saml.saml_providers():
        return []
    imported = {
        m.provider: m for m in ImportedMetadata.objects.restrict(request.user).order_by("pk")
    }
    return [
        {
            "id": app["provider_id"],
            "name": app["name"],
            "imported": imported.get(app["provider_id"]),
            "metadata": app["metadata_url"] or ("a saved file" if app["metadata_xml"] else ""),
            "groups_attributes": app["groups_attributes"],
            "entity_id": saml.base_url(request)
            + reverse("saml_metadata", args=[app["provider_id"]]),
            "acs": saml.acs_url(request, app["provider_id"]),
        }
        for app in saml.saml_providers()
    ]


def mapping_edit(request: SignedInRequest, pk: int | None = None) -> HttpResponse:
    admin_only(request)
    obj = None
    if pk is not None:
        obj = get_object_or_404(GroupMapping.objects.restrict(request.user, "change"), pk=pk)
    initial = {"version": obj.version} if obj else {}
    form = GroupMappingForm(
        request.POST if request.method == "POST" else None,
        instance=obj,
        initial=initial,
        providers=_mapping_providers(request),
    )
    if request.method == "POST" and save_form(request, form, GroupMapping, obj):
        return redirect("signin:mappings")
    status = 400 if request.method == "POST" else 200
    return render(request, "signin/mapping_form.html", {"form": form, "object": obj}, status=status)


def _mapping_providers(request: HttpRequest) -> list[dict[str, str]]:
    """Those offered, and those added on the page but switched off (their mappings wait)."""
    offered = providers(request)
    ids = {p["id"] for p in offered}
    return offered + [
        {"id": row.provider_id, "name": f"{row.name} (switched off)"}
        for row in signin_providers.page_made(request)
        if row.provider_id not in ids
    ]


def mapping_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    admin_only(request)
    obj = get_object_or_404(GroupMapping.objects.restrict(request.user, "delete"), pk=pk)
    if request.method == "POST":
        name = str(obj)
        if not delete_record(request, obj):
            return redirect("signin:mapping_delete", pk=pk)
        messages.success(request, f"Deleted: {name}. People in that group lose it at next sign-in.")
        return redirect("signin:mappings")
    return render(request, "signin/mapping_delete.html", {"object": obj})


def links(request: SignedInRequest) -> HttpResponse:
    """Which account each provider identity signs in to, newest first, searchable."""
    admin_only(request)
    query = request.GET.get("q", "").strip()[:150]
    rows = Identity.objects.restrict(request.user).select_related("user")
    if query:
        rows = rows.filter(
            Q(user__username__icontains=query) | Q(user__email__icontains=query) | Q(subject=query)
        )
    return render(
        request,
        "signin/links.html",
        {
            "links": rows.order_by("-created_at", "-id")[:LINKS_SHOWN],
            "query": query,
            "shown": LINKS_SHOWN,
        },
    )


@require_POST
def unlink(request: SignedInRequest, pk: int) -> HttpResponse:
    """Undo a link (one made by a shared or mistaken e-mail address): at the person's next
    sign-in the account is looked for again by e-mail."""
    admin_only(request)
    link = get_object_or_404(Identity.objects.restrict(request.user, "delete"), pk=pk)
    name = str(link)
    services.delete(request.user, link)
    messages.success(request, f"Unlinked: {name}.")
    return redirect("signin:links")


def _page_saml(request: HttpRequest, provider_id: str) -> dict[str, Any] | None:
    """A SAML provider added on the page but switched off: its metadata may be imported
    before it is switched on."""
    row = next(
        (
            r
            for r in signin_providers.page_made(request)
            if r.provider_id == provider_id and r.kind == SignInProvider.Kind.SAML
        ),
        None,
    )
    if row is None or provider_id in signin_providers.environment_ids():
        return None
    return signin_providers.saml_app(row)


def metadata_import(request: SignedInRequest, provider_id: str) -> HttpResponse:
    """Import a SAML provider's metadata from its address or a file: how an administrator
    sets a provider up, or takes in its new signing certificate, without a restart."""
    admin_only(request)
    app = saml.provider(provider_id) or _page_saml(request, provider_id)
    if app is None:
        raise Http404("No such SAML provider.")
    form = MetadataImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        address = form.cleaned_data.get("address") or ""
        try:
            document = form.cleaned_data.get("document") or saml.fetch_metadata(address)
            saml.import_metadata(request.user, app, document, address)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Imported the metadata of {app['name']}.")
            return redirect("signin:mappings")
    status = 400 if request.method == "POST" else 200
    kept = ImportedMetadata.objects.restrict(request.user).filter(provider=provider_id).first()
    return render(
        request,
        "signin/metadata_import.html",
        {"form": form, "app": app, "kept": kept},
        status=status,
    )
