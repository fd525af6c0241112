"""An identity provider's SAML metadata read into what python3-saml needs of it: its entity
ID, its sign-in address (HTTP-Redirect binding) and its signing certificates.

Plain Python (no Django imports): settings read it when a provider's metadata is a file, so
a broken file stops Townhall at start rather than at someone's sign-in.
"""

from typing import Any

from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser


class MetadataError(ValueError):
    """The metadata cannot be used; the message says why, in an administrator's words."""


def idp_settings(xml: str, entity_id: str = "") -> dict[str, Any]:
    """The `idp` part of python3-saml's settings, from the provider's metadata document."""
    try:
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as exc:  # lxml's syntax errors, a DTD refused, anything unreadable
        raise MetadataError(f"the metadata is not readable XML ({exc})") from None
    idp = parsed.get("idp") or {}
    if not idp.get("entityId"):
        which = f" for the entity {entity_id}" if entity_id else ""
        raise MetadataError(f"the metadata describes no identity provider{which}")
    if not (idp.get("singleSignOnService") or {}).get("url"):
        raise MetadataError("the metadata gives no sign-in address with the HTTP-Redirect binding")
    signing = (idp.get("x509certMulti") or {}).get("signing") or []
    if not idp.get("x509cert") and not signing:
        raise MetadataError(
            "the metadata holds no signing certificate, so no response could be trusted"
        )
    return idp
