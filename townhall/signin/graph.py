"""Entra ID's group overage: a person in more than 200 groups gets an ID token without its
groups claim, carrying instead a pointer (`_claim_names` and `_claim_sources`) to where the
groups can be read. Townhall then reads them from Microsoft Graph (`getMemberObjects` on the
signed-in person, with the access token just received) and maps them like groups from the
token. The address inside `_claim_sources` is never followed: it names the retired Azure AD
Graph, and the configured Graph address is the only place the access token is sent.
"""

from dataclasses import dataclass
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from requests import RequestException, Response

from townhall.signin.config import GRAPH_URL
from townhall.signin.models import SignInRefusal

# getMemberObjects answers in one page today; pages are followed, but not without end.
MAX_PAGES = 20
MEMBER_OBJECTS = "v1.0/me/getMemberObjects"


class GraphError(Exception):
    """Graph did not list the groups; `kind` says why (a key of MESSAGES)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class GroupsUnavailable(OAuth2Error):
    """The sign-in is refused: the person's groups could not be read from Graph. Carries the
    verified claims, so the refusal names who was turned away."""

    reason = SignInRefusal.Reason.GRAPH_GROUPS

    def __init__(self, message: str, claims: dict[str, Any]) -> None:
        super().__init__(message)
        self.message = message
        self.claims = claims


@dataclass(frozen=True)
class Page:
    values: list[str]
    next_link: str | None


def has_overage(claims: dict[str, Any], groups_claim: str) -> bool:
    """The ID token says the groups claim was left out because there were too many."""
    names = claims.get("_claim_names")
    return groups_claim not in claims and isinstance(names, dict) and groups_claim in names


def member_objects(graph_url: str, access_token: str) -> list[str]:
    """The object IDs of every group (and directory role) the signed-in person belongs to,
    directly or through other groups; raises GraphError."""
    base = graph_url.rstrip("/") + "/"
    headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
    found: list[str] = []
    try:
        with get_adapter().get_requests_session() as session:
            response = session.post(
                base + MEMBER_OBJECTS,
                json={"securityEnabledOnly": False},
                headers=headers,
                allow_redirects=False,
            )
            for _ in range(MAX_PAGES):
                page = read_page(response)
                found.extend(page.values)
                if page.next_link is None:
                    return found
                # The access token goes to the configured Graph only.
                if not page.next_link.startswith(base):
                    raise GraphError("malformed")
                response = session.get(page.next_link, headers=headers, allow_redirects=False)
    except RequestException as exc:
        raise GraphError("unreachable") from exc
    raise GraphError("malformed")


def read_page(response: Response) -> Page:
    if response.status_code in (401, 403):
        raise GraphError("denied")
    if response.status_code != 200:
        raise GraphError("error")
    try:
        body = response.json()
    except ValueError as exc:
        raise GraphError("malformed") from exc
    if not isinstance(body, dict):
        raise GraphError("malformed")
    values = body.get("value")
    next_link = body.get("@odata.nextLink")
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise GraphError("malformed")
    if next_link is not None and not isinstance(next_link, str):
        raise GraphError("malformed")
    return Page(values=[v for v in values if "\x00" not in v], next_link=next_link)


ASSIGNED_GROUPS = (
    "or, in Entra ID, set the application's groups claim to \"Groups assigned to the "
    'application" so that no more than 200 groups are sent'
)
MESSAGES = {
    "denied": (
        "Microsoft Graph refused to list them. Nothing was signed in. Tell your Townhall "
        "administrator: Townhall's application in Entra ID needs the Microsoft Graph "
        "permission GroupMember.Read.All, with admin consent, " + ASSIGNED_GROUPS + "."
    ),
    "unreachable": (
        "Microsoft Graph could not be reached. Nothing was signed in. Try again in a "
        "moment; if this keeps happening, tell your Townhall administrator: Townhall must be "
        "able to reach {graph}, " + ASSIGNED_GROUPS + "."
    ),
    "error": (
        "Microsoft Graph answered with an error. Nothing was signed in. Try again in a "
        "moment; if this keeps happening, tell your Townhall administrator, who can avoid "
        "this step in Entra ID: set the application's groups claim to \"Groups assigned to "
        'the application" so that no more than 200 groups are sent.'
    ),
    "malformed": (
        "Microsoft Graph's answer could not be read. Nothing was signed in. Tell your "
        "Townhall administrator: check that {graph} is Microsoft Graph, " + ASSIGNED_GROUPS + "."
    ),
}


def with_graph_groups(
    app_settings: dict[str, Any], provider_name: str, claims: dict[str, Any], access_token: str
) -> dict[str, Any]:
    """The claims, with the groups read from Graph when the token had too many to carry
    them; unchanged otherwise. Raises GroupsUnavailable."""
    groups_claim = app_settings.get("groups_claim", "groups")
    if not has_overage(claims, groups_claim):
        return claims
    graph = app_settings.get("graph_url") or GRAPH_URL
    try:
        groups = member_objects(graph, access_token)
    except GraphError as exc:
        message = (
            f"You belong to more groups than {provider_name} puts in its sign-in answer, so "
            "Townhall asked Microsoft Graph for them, but " + MESSAGES[exc.kind].format(graph=graph)
        )
        raise GroupsUnavailable(message, claims) from exc
    return {**claims, groups_claim: groups}
