"""The person a SAML assertion describes, in the sign-in's words (plain Python)."""

from townhall.signin.saml_claims import EMAIL_FORMAT, TRANSIENT, claims
from townhall.signin.tests.saml_provider import (
    ENTRA_EMAIL,
    ENTRA_GROUPS,
    ENTRA_NAME,
    ENTRA_OBJECT_ID,
)

GROUPS = [ENTRA_GROUPS, "http://schemas.xmlsoap.org/claims/Group"]


def test_entra_claim_uris():
    found = claims(
        {
            ENTRA_OBJECT_ID: ["oid-1"],
            ENTRA_EMAIL: ["Pat@County.gov"],
            ENTRA_NAME: ["pat@county.onmicrosoft.com"],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": ["Pat"],
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname": ["Lee"],
            ENTRA_GROUPS: ["g-1", "g-2"],
        },
        "transient-xyz",
        TRANSIENT,
        GROUPS,
    )
    assert found == {
        "sub": "oid-1",
        "email": "Pat@County.gov",
        "preferred_username": "pat@county.onmicrosoft.com",
        "given_name": "Pat",
        "family_name": "Lee",
        "groups": ["g-1", "g-2"],
    }


def test_transient_name_id_is_never_the_subject():
    assert "sub" not in claims({}, "transient-xyz", TRANSIENT, GROUPS)


def test_email_name_id_gives_subject_and_email():
    found = claims(
        {"http://schemas.xmlsoap.org/claims/Group": ["IT"]}, "a@b.gov", EMAIL_FORMAT, GROUPS
    )
    assert found == {"sub": "a@b.gov", "email": "a@b.gov", "groups": ["IT"]}


def test_groups_from_every_named_attribute_and_nothing_else():
    found = claims(
        {ENTRA_GROUPS: ["a", "", 3], "http://schemas.xmlsoap.org/claims/Group": ["b"], "x": ["c"]},
        None,
        None,
        GROUPS,
    )
    assert found["groups"] == ["a", "b"]
