"""What a SAML assertion says about the person, in the names the OpenID Connect sign-in
already uses (sub, email, preferred_username, given_name, family_name, groups), so that
both go through the same account matching and group mapping.

Plain Python: the attribute names are those of ADFS, Entra ID, Okta and the standard OIDs.
"""

from typing import Any

TRANSIENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"
EMAIL_FORMAT = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"

ATTRIBUTES: dict[str, list[str]] = {
    # Entra ID's object ID is the person's lasting identifier there, whatever the NameID.
    "sub": [
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
        "urn:oasis:names:tc:SAML:attribute:subject-id",
    ],
    "email": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "urn:oid:0.9.2342.19200300.100.1.3",
        "email",
        "mail",
    ],
    # Entra ID's "name" claim is the user principal name (pat@county.gov).
    "preferred_username": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        "urn:oid:0.9.2342.19200300.100.1.1",
        "username",
    ],
    "given_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "urn:oid:2.5.4.42",
        "firstName",
        "givenName",
    ],
    "family_name": [
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "urn:oid:2.5.4.4",
        "lastName",
        "sn",
    ],
}


def _first(attributes: dict[str, list[Any]], names: list[str]) -> str:
    for name in names:
        for value in attributes.get(name) or []:
            if isinstance(value, str) and value.strip():
                return value.strip()
    return ""


def claims(
    attributes: dict[str, list[Any]],
    name_id: str | None,
    name_id_format: str | None,
    groups_attributes: list[str],
) -> dict[str, Any]:
    """The person as the sign-in reads them. The subject is a lasting identifier: a named
    attribute, else the NameID unless it is transient (new at every sign-in)."""
    found = {claim: _first(attributes, names) for claim, names in ATTRIBUTES.items()}
    name_id = (name_id or "").strip()
    if not found["sub"] and name_id and name_id_format != TRANSIENT:
        found["sub"] = name_id
    if not found["email"] and name_id and name_id_format == EMAIL_FORMAT:
        found["email"] = name_id
    groups: list[str] = []
    for name in groups_attributes:
        groups += [v for v in attributes.get(name) or [] if isinstance(v, str) and v]
    result: dict[str, Any] = {k: v for k, v in found.items() if v}
    result["groups"] = groups
    return result
