"""The SCIM 2.0 service under /scim/v2/ (RFC 7644): a provider's bearer token in, SCIM's
JSON out, every change through the write path with "scim" as the door."""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from townhall.accounts import throttle, tokens
from townhall.accounts.models import User
from townhall.core import context, permissions
from townhall.core.http import whole_number
from townhall.scim import discovery, users
from townhall.scim.errors import CONTENT_TYPE, ScimError, invalid_value
from townhall.scim.filters import GROUP_ATTRIBUTES, USER_ATTRIBUTES, InvalidFilter, to_query
from townhall.scim.groups import group_resource, group_state, patched_group
from townhall.scim.models import ProvisionedGroup
from townhall.scim.resources import user_resource, user_state
from townhall.scim.services import deactivate, delete_group, save_group, save_user

BASE = discovery.BASE
READING = ("GET", "HEAD")
View = Callable[..., HttpResponse]


def answer(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, content_type=CONTENT_TYPE, safe=False)


def _provisioner(request: HttpRequest) -> User:
    """The administrator whose token the provider sends, or a ScimError (401, 403, 429)."""
    header = request.headers.get("Authorization", "").split()
    if len(header) != 2 or header[0].lower() != "bearer":
        raise ScimError(401, "Send an administrator's API token as `Authorization: Bearer …`.")
    address = throttle.client_address(request)
    refusal = throttle.address_refusal(address)
    if refusal:
        raise ScimError(429, refusal)
    try:
        token = tokens.authenticate(header[1])
    except tokens.Refused as refused:
        if refused.unknown:
            throttle.record_failure(throttle.Attempt(throttle.TOKEN_ATTEMPT, address))
        raise ScimError(401, str(refused)) from None
    if not permissions.is_admin(token.owner):
        raise ScimError(403, "Provisioning needs the API token of a Townhall administrator.")
    if request.method not in READING and not token.can_write:
        raise ScimError(
            403, "This API token is read-only: provisioning needs a read-and-write one."
        )
    return token.owner


def scim(view: View) -> View:
    """Authenticate, act as the token's owner through the door "scim", and answer every
    refusal in SCIM's error JSON."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            actor = _provisioner(request)
            with context.acting("scim", context.current().request_id):
                return view(request, actor, *args, **kwargs)
        except ScimError as error:
            return error.response()
        except PermissionDenied as exc:
            return ScimError(403, str(exc) or "Not allowed.").response()
        except ValidationError as exc:
            return invalid_value("; ".join(exc.messages)).response()

    return csrf_exempt(login_not_required(wrapped))


def body_of(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested past Python's depth
        raise ScimError(400, "The body is not JSON.", "invalidSyntax") from None
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return data


def _whole_number(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise invalid_value(f"{name} must be a whole number.") from None


def listing(
    request: HttpRequest,
    rows: QuerySet[Any],
    attributes: dict[tuple[str, str | None, str | None], str],
    shape: Callable[[Any], dict[str, Any]],
) -> JsonResponse:
    """A filtered page (`startIndex` counts from 1, `count` at most MAX_RESULTS)."""
    text = request.GET.get("filter")
    if text:
        try:
            query: Q = to_query(text, attributes)
            # A condition on members joins them: read each group once, however many match.
            rows = rows.filter(pk__in=rows.model._default_manager.filter(query).values("pk"))
        except InvalidFilter as exc:
            raise ScimError(400, str(exc), "invalidFilter") from None
        except (ValidationError, ValueError, TypeError):
            raise ScimError(
                400, "A value in the filter does not fit its attribute.", "invalidFilter"
            ) from None
    start = max(_whole_number(request, "startIndex", 1), 1)
    count = min(
        max(_whole_number(request, "count", discovery.MAX_RESULTS), 0), discovery.MAX_RESULTS
    )
    total = rows.count()
    # Past the end there is nothing to read (and no database takes an offset past 2**63).
    page = list(rows[start - 1 : start - 1 + count]) if count and start <= total else []
    return answer(
        {
            "schemas": [discovery.LIST],
            "totalResults": total,
            "startIndex": start,
            "itemsPerPage": len(page),
            "Resources": [shape(row) for row in page],
        }
    )


def _users(actor: User) -> QuerySet[User]:
    return (
        User.objects.restrict(actor, "view")
        .select_related("provisioned")
        .prefetch_related("provisioned_groups")
        .order_by("pk")
    )


def _one(rows: QuerySet[Any], pk: str, kind: str) -> Any:
    number = whole_number(pk, 17)
    found = rows.filter(pk=number).first() if number is not None else None
    if found is None:
        raise ScimError(404, f"No {kind} has the id {pk[:40]}.")
    return found


def _lock(model: Any, pk: int) -> None:
    """Hold the row until the transaction ends, so two PATCHes do not lose each other's
    change (PostgreSQL; SQLite writes one at a time anyway)."""
    list(model._default_manager.select_for_update().filter(pk=pk).values_list("pk"))


# --- discovery ---------------------------------------------------------------------------------


@scim
def service_provider_config(request: HttpRequest, actor: User) -> HttpResponse:
    return answer(discovery.service_provider_config(BASE))


@scim
def resource_types(request: HttpRequest, actor: User, name: str = "") -> HttpResponse:
    found = discovery.resource_types(BASE)
    if name:
        match = [r for r in found if r["id"] == name]
        if not match:
            raise ScimError(404, f"No resource type {name[:40]}.")
        return answer(match[0])
    return answer(_list_of(found))


@scim
def schemas(request: HttpRequest, actor: User, uri: str = "") -> HttpResponse:
    found = discovery.schemas(BASE)
    if uri:
        match = [s for s in found if s["id"] == uri]
        if not match:
            raise ScimError(404, f"No schema {uri[:100]}.")
        return answer(match[0])
    return answer(_list_of(found))


def _list_of(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "schemas": [discovery.LIST],
        "totalResults": len(resources),
        "startIndex": 1,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


# --- Users -------------------------------------------------------------------------------------


@scim
def user_list(request: HttpRequest, actor: User) -> HttpResponse:
    if request.method in READING:
        return listing(request, _users(actor), USER_ATTRIBUTES, user_resource)
    if request.method == "POST":
        user = save_user(actor, None, users.from_resource(body_of(request)))
        return answer(user_resource(_users(actor).get(pk=user.pk)), status=201)
    raise ScimError(405, "Use GET or POST here.")


@scim
def user_detail(request: HttpRequest, actor: User, pk: str) -> HttpResponse:
    user = _one(_users(actor), pk, "account")
    if request.method in READING:
        return answer(user_resource(user))
    if request.method == "PUT":
        save_user(actor, user, users.from_resource(body_of(request)))
    elif request.method == "PATCH":
        with transaction.atomic():  # read, change and write with nobody in between
            _lock(User, user.pk)
            user = _one(_users(actor), pk, "account")
            save_user(actor, user, users.patched(user_state(user), body_of(request)))
    elif request.method == "DELETE":
        deactivate(actor, user)
        return HttpResponse(status=204)
    else:
        raise ScimError(405, "Use GET, PUT, PATCH or DELETE here.")
    return answer(user_resource(_users(actor).get(pk=user.pk)))


# --- Groups ------------------------------------------------------------------------------------


def _groups(request: HttpRequest, actor: User) -> QuerySet[ProvisionedGroup]:
    rows = ProvisionedGroup.objects.restrict(actor, "view").order_by("pk")
    if "members" in request.GET.get("excludedAttributes", "").lower():
        return rows
    return rows.prefetch_related("members")


def _shape(request: HttpRequest) -> Callable[[ProvisionedGroup], dict[str, Any]]:
    without = "members" in request.GET.get("excludedAttributes", "").lower()
    return functools.partial(group_resource, with_members=not without)


@scim
def group_list(request: HttpRequest, actor: User) -> HttpResponse:
    if request.method in READING:
        return listing(request, _groups(request, actor), GROUP_ATTRIBUTES, _shape(request))
    if request.method == "POST":
        group = save_group(actor, None, group_state(None, body_of(request)))
        return answer(
            group_resource(_one(_groups(request, actor), str(group.pk), "group")), status=201
        )
    raise ScimError(405, "Use GET or POST here.")


@scim
def group_detail(request: HttpRequest, actor: User, pk: str) -> HttpResponse:
    group = _one(_groups(request, actor), pk, "group")
    if request.method in READING:
        return answer(_shape(request)(group))
    if request.method == "PUT":
        save_group(actor, group, group_state(None, body_of(request)))
    elif request.method == "PATCH":
        with transaction.atomic():  # read, change and write with nobody in between
            _lock(ProvisionedGroup, group.pk)
            group = _one(_groups(request, actor), pk, "group")
            save_group(actor, group, patched_group(group_state(group, None), body_of(request)))
    elif request.method == "DELETE":
        delete_group(actor, group)
        return HttpResponse(status=204)
    else:
        raise ScimError(405, "Use GET, PUT, PATCH or DELETE here.")
    return answer(group_resource(_one(_groups(request, actor), pk, "group")))


@scim
def not_found(request: HttpRequest, actor: User, rest: str = "") -> HttpResponse:
    raise ScimError(404, "There is nothing at this address in Townhall's SCIM service.")
