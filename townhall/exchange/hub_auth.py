"""Which member signed a request to the hub (`protocol.py`), or why it is refused."""

import time

from django.http import HttpRequest

from townhall.exchange import protocol
from townhall.exchange.models import HubMember


def signed_member(request: HttpRequest) -> HubMember:
    """The active member whose key signed `request`; raises `protocol.BadSignature` with
    the reason otherwise (the API answers 401 with it)."""
    member_id = request.headers.get(protocol.MEMBER_HEADER, "")
    if not member_id or len(member_id) > 64:
        raise protocol.BadSignature(f"the {protocol.MEMBER_HEADER} header is missing")
    member = HubMember.objects.filter(member_id=member_id, active=True).first()
    if member is None:
        raise protocol.BadSignature("no active member has that id")
    headers = {
        protocol.TIME_HEADER: request.headers.get(protocol.TIME_HEADER, ""),
        protocol.SIGNATURE_HEADER: request.headers.get(protocol.SIGNATURE_HEADER, ""),
    }
    protocol.verify_request(
        member.public_key,
        request.method or "GET",
        request.get_full_path(),
        request.body,
        headers,
        time.time(),
    )
    return member
