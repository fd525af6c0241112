"""The social media flags and who would take which account with them (plain Python)."""

import datetime

from townhall.registers import social

TODAY = datetime.date(2026, 6, 1)
ANN = social.Person(1, "Ann Lee", "/p/1")
BO = social.Person(2, "Bo Diaz", "/p/2")
GOV = frozenset({"juniper.gov"})


def account(**values):
    base = {
        "pk": 1,
        "name": "@Parks on Instagram",
        "url": "/a/1",
        "department": "Parks",
        "administrators": (ANN, BO),
        "multi_factor": True,
        "credentials": "vault",
        "recovery_email": "social@juniper.gov",
        "recovery_phone": "555-0100",
        "recovery_phone_government": True,
        "recovery_person": None,
        "last_reviewed_on": datetime.date(2026, 1, 1),
    }
    return social.Account(**{**base, **values})


def test_a_well_kept_account_has_no_flag():
    assert social.flags(account(), GOV, TODAY) == []


def test_each_flag():
    assert social.flags(account(administrators=(ANN,)), GOV, TODAY) == [social.ONE_ADMIN]
    assert social.flags(account(administrators=()), GOV, TODAY) == [social.ONE_ADMIN]
    assert social.flags(account(multi_factor=False), GOV, TODAY) == [social.NO_MFA]
    assert social.flags(account(credentials="personal"), GOV, TODAY) == [
        social.PERSONAL_CREDENTIALS
    ]
    personal = [social.PERSONAL_RECOVERY]
    assert social.flags(account(recovery_email="ann@gmail.com"), GOV, TODAY) == personal
    assert social.flags(account(recovery_phone_government=False), GOV, TODAY) == personal
    assert social.flags(account(last_reviewed_on=None), GOV, TODAY) == [social.NOT_REVIEWED]
    old = datetime.date(2025, 5, 31)
    assert social.flags(account(last_reviewed_on=old), GOV, TODAY) == [social.NOT_REVIEWED]
    assert social.flags(account(last_reviewed_on=datetime.date(2025, 6, 1)), GOV, TODAY) == []


def test_flags_come_in_their_order():
    bad = {
        "administrators": (),
        "multi_factor": False,
        "credentials": "personal",
        "last_reviewed_on": None,
    }
    personal = account(**bad, recovery_email="x@yahoo.com")
    keys = [key for key, _ in social.FLAGS]
    assert social.flags(personal, GOV, TODAY) == [k for k in keys if k != social.NO_RECOVERY]
    none = account(**bad, recovery_email="", recovery_phone=" ")
    assert social.flags(none, GOV, TODAY) == [k for k in keys if k != social.PERSONAL_RECOVERY]


def test_no_recovery_contact_is_flagged_apart_from_a_personal_one():
    """An account nobody can reset was left unflagged."""
    flagged = social.flags(account(recovery_email="", recovery_phone=""), GOV, TODAY)
    assert flagged == [social.NO_RECOVERY]
    assert social.LABELS[social.NO_RECOVERY] == "No recovery contact"
    assert social.flags(account(recovery_email=""), GOV, TODAY) == []  # the phone will do
    assert social.flags(account(recovery_phone=""), GOV, TODAY) == []  # the e-mail will do


def test_government_addresses():
    assert social.is_government_email("a@juniper.gov", frozenset())  # any .gov
    assert social.is_government_email("a@army.mil", frozenset())
    assert social.is_government_email("a@Parks.JuniperCounty.org", frozenset({"junipercounty.org"}))
    assert not social.is_government_email(
        "a@notjunipercounty.org", frozenset({"junipercounty.org"})
    )
    assert not social.is_government_email("a@gmail.com", frozenset({"junipercounty.org"}))
    assert not social.is_government_email("no-at-sign", frozenset({"no-at-sign"}))
    assert not social.is_government_email("", GOV)


def test_government_domains_configured_or_from_people():
    assert social.government_domains([" @Juniper.org. ", ""], ["a@gmail.com"]) == {"juniper.org"}
    found = social.government_domains([], ["a@Juniper.org", "b@gmail.com", "bad", "c@jcso.org"])
    assert found == {"juniper.org", "jcso.org"}


def test_who_takes_what_if_they_leave():
    parks = account(pk=1, name="Parks", administrators=(ANN,))
    fire = account(
        pk=2,
        name="Fire",
        recovery_email="bo@outlook.com",
        recovery_person=BO,
        administrators=(ANN, BO),
    )
    library = account(
        pk=3,
        name="Library",
        administrators=(BO,),
        recovery_email="bo@yahoo.com",
        recovery_person=BO,
    )
    kept = account(pk=4, name="County", recovery_person=ANN)  # government contacts: no loss
    leaving = social.if_one_left([parks, fire, library, kept], GOV)
    assert [p.person.name for p in leaving] == ["Bo Diaz", "Ann Lee"]
    bo = {loss.account.name: loss.reasons for loss in leaving[0].losses}
    assert bo == {
        "Fire": (social.THEIR_RECOVERY,),
        "Library": (social.ONLY_ADMIN, social.THEIR_RECOVERY),
    }
    assert [loss.account.name for loss in leaving[1].losses] == ["Parks"]


def test_overview_counts_each_flag():
    found = social.overview(
        [account(pk=1, multi_factor=False), account(pk=2, multi_factor=False, administrators=())],
        GOV,
        TODAY,
    )
    counts = {key: n for key, _, n in found.counts}
    assert counts == {
        social.ONE_ADMIN: 1,
        social.PERSONAL_RECOVERY: 0,
        social.NO_RECOVERY: 0,
        social.NO_MFA: 2,
        social.NOT_REVIEWED: 0,
        social.PERSONAL_CREDENTIALS: 0,
    }
    assert found.leaving == []
    assert found.accounts[1].labels == ["One administrator or none", "No multi-factor sign-in"]


def test_a_leap_day_review_is_due_a_year_later():
    assert social.year_after(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
