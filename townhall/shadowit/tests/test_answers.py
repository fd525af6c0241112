"""A department's answers about the technology it bought: the verb on the write path, the
questions page for each role, the API refusing a liaison another department, the merchant's
page with the answers and the security review, and the liaison's home page notice."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from townhall.core import context, services
from townhall.shadowit import services as shadow_services
from townhall.shadowit.models import Merchant, MerchantAnswer, Purchase

QUESTIONS = "/shadow-it/my-department/"


def _merchant(key, departments, category="software", status="new", **extra):
    with context.acting("system"):
        merchant = services.create(
            context.SYSTEM,
            Merchant,
            {"key": key, "name": key.title(), "category": category, **extra},
        )
        merchant.departments.set(departments)
        if status == "dismissed":
            shadow_services.triage(context.SYSTEM, merchant, status, "A personal account")
        return Merchant.objects.get(pk=merchant.pk)


def _buy(merchant, department, amount, day):
    with context.acting("system"):
        return services.create(
            context.SYSTEM,
            Purchase,
            {
                "purchased_on": day,
                "descriptor": merchant.key.upper(),
                "amount": amount,
                "owner_department": department,
                "merchant_key": merchant.key,
            },
        )


@pytest.fixture
def bought(departments):
    """Public Works bought Zoom (twice) and GovForms; Finance bought Zoom and Tyler; Public
    Works' fuel is not technology and its dropped tool was dismissed by IT."""
    pw, fin = departments["PW"], departments["FIN"]
    zoom = _merchant("zoom", [pw, fin])
    govforms = _merchant("govforms", [pw])
    tyler = _merchant("tyler", [fin])
    _merchant("shell", [pw], category="not_technology")
    _merchant("dropped", [pw], status="dismissed")
    _buy(zoom, pw, "15.99", datetime.date(2026, 3, 3))
    _buy(zoom, pw, "15.99", datetime.date(2026, 4, 3))
    _buy(zoom, fin, "149.90", datetime.date(2026, 2, 1))
    _buy(govforms, pw, "90.00", datetime.date(2026, 1, 15))
    _buy(tyler, fin, "5000.00", datetime.date(2026, 1, 20))
    return {"zoom": zoom, "govforms": govforms, "tyler": tyler}


# --- the verb ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_liaison_answers_for_their_department_and_changes_the_answer(users, departments, bought):
    liaison, pw = users["liaison"], departments["PW"]
    made = shadow_services.answer(liaison, bought["zoom"], pw, " Crew meetings ", "no", version=0)
    assert (made.purpose, made.resident_data, made.owner_department) == ("Crew meetings", "no", pw)
    changed = shadow_services.answer(
        liaison, bought["zoom"], pw, "Crew and public meetings", "yes", version=made.version
    )
    assert changed.pk == made.pk and changed.resident_data == "yes"
    assert MerchantAnswer.objects.count() == 1


@pytest.mark.django_db
def test_an_answer_saved_meanwhile_is_a_conflict(users, departments, bought):
    liaison, staff, pw = users["liaison"], users["staff"], departments["PW"]
    first = shadow_services.answer(staff, bought["zoom"], pw, "Meetings", "no", version=0)
    with pytest.raises(services.ConflictError):  # the liaison saw no answer
        shadow_services.answer(liaison, bought["zoom"], pw, "Mine", "yes", version=0)
    shadow_services.answer(staff, bought["zoom"], pw, "Meetings, webinars", "no", version=1)
    with pytest.raises(services.ConflictError):  # the liaison saw the first version
        shadow_services.answer(liaison, bought["zoom"], pw, "Mine", "yes", version=first.version)
    assert MerchantAnswer.objects.get().purpose == "Meetings, webinars"


@pytest.mark.django_db
def test_nobody_answers_for_a_department_they_may_not_keep(users, departments, bought):
    fin = departments["FIN"]
    for role in ("liaison", "viewer", "board"):
        with pytest.raises(PermissionDenied):
            shadow_services.answer(users[role], bought["zoom"], fin, "Not ours", "no", version=0)
    shadow_services.answer(users["staff"], bought["zoom"], fin, "Budget meetings", "no")
    answer = MerchantAnswer.objects.get()
    with pytest.raises(PermissionDenied):  # nor change another department's answer
        shadow_services.answer(users["liaison"], bought["zoom"], fin, "Mine", "no", version=1)
    answer.refresh_from_db()
    assert answer.purpose == "Budget meetings"


@pytest.mark.django_db
def test_an_answer_says_what_it_is_for_and_one_of_the_choices(users, departments, bought):
    liaison, pw = users["liaison"], departments["PW"]
    with pytest.raises(ValidationError) as blank:
        shadow_services.answer(liaison, bought["zoom"], pw, "   ", "no", version=0)
    assert "purpose" in blank.value.message_dict
    with pytest.raises(ValidationError) as maybe:
        shadow_services.answer(liaison, bought["zoom"], pw, "Meetings", "maybe", version=0)
    assert "resident_data" in maybe.value.message_dict
    assert not MerchantAnswer.objects.exists()


@pytest.mark.django_db
def test_only_it_staff_record_a_security_review(users, bought):
    zoom = bought["zoom"]
    for role in ("liaison", "viewer", "board"):
        with pytest.raises(PermissionDenied):
            shadow_services.record_security_review(users[role], zoom, version=zoom.version)
    done = shadow_services.record_security_review(users["staff"], zoom, version=zoom.version)
    assert done.security_reviewed_on == timezone.localdate()


# --- the questions page -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_liaison_sees_their_departments_technology_unanswered_first(
    client_for, users, departments, bought
):
    pw = departments["PW"]
    shadow_services.answer(users["liaison"], bought["govforms"], pw, "Permits", "yes")
    page = client_for("liaison").get(QUESTIONS)
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1>Your department's questions</h1>" in html
    # Zoom (unanswered) before GovForms (answered); never Finance's Tyler, fuel, dismissed.
    assert html.index(">Zoom<") < html.index(">Govforms<")
    assert "Tyler" not in html and "Shell" not in html and "Dropped" not in html
    assert "Public Works spent 31.98 in 2 purchases, the last on 2026-04-03" in html
    assert "<strong>1</strong> of 2 not answered yet" in html
    assert 'name="department"' not in html.split('<form method="post"')[0]  # no chooser


@pytest.mark.django_db
def test_a_liaison_answers_on_the_page(client_for, users, departments, bought):
    client = client_for("liaison")
    zoom, pw = bought["zoom"], departments["PW"]
    form = {"merchant": zoom.pk, "department": pw.pk, "version": 0, "page": 1}
    answered = client.post(QUESTIONS, {**form, "purpose": "Crew meetings", "resident_data": "no"})
    assert answered.status_code == 302
    assert answered["Location"].endswith(f"?page=1#answer-{zoom.pk}")
    assert MerchantAnswer.objects.get().purpose == "Crew meetings"

    blank = client.post(QUESTIONS, {**form, "version": 1, "purpose": "", "resident_data": "no"})
    assert blank.status_code == 400
    assert "Say what the department uses it for." in blank.content.decode()

    stale = client.post(QUESTIONS, {**form, "purpose": "Other", "resident_data": "yes"})
    assert stale.status_code == 409
    html = stale.content.decode()
    assert "Saved meanwhile: “Crew meetings”" in html and ">Other</textarea>" in html
    assert MerchantAnswer.objects.get().purpose == "Crew meetings"


@pytest.mark.django_db
def test_a_liaison_cannot_answer_for_another_department_on_the_page(
    client_for, departments, bought
):
    refused = client_for("liaison").post(
        QUESTIONS,
        {
            "merchant": bought["tyler"].pk,
            "department": departments["FIN"].pk,
            "version": 0,
            "purpose": "Not ours",
            "resident_data": "no",
        },
    )
    assert refused.status_code == 403
    assert not MerchantAnswer.objects.exists()


@pytest.mark.django_db
def test_a_liaison_cannot_answer_for_another_department_through_the_api(
    client_for, departments, bought
):
    client = client_for("liaison")
    body = {"merchant": bought["tyler"].pk, "purpose": "Not ours", "resident_data": "no"}
    url = "/api/shadowit/department-answers/"
    refused = client.post(
        url,
        json.dumps({**body, "owner_department": departments["FIN"].pk}),
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert not MerchantAnswer.objects.exists()
    own = client.post(
        url,
        json.dumps(
            {**body, "merchant": bought["zoom"].pk, "owner_department": departments["PW"].pk}
        ),
        content_type="application/json",
    )
    assert own.status_code == 201


@pytest.mark.django_db
def test_it_staff_choose_the_department_and_viewers_read(client_for, users, departments, bought):
    fin = departments["FIN"]
    shadow_services.answer(users["staff"], bought["tyler"], fin, "Financial system", "yes")
    staff = client_for("staff").get(QUESTIONS, {"department": fin.pk})
    assert staff.status_code == 200
    html = staff.content.decode()
    assert "Questions for Finance" in html and "Save the answer" in html
    assert 'id="id_department"' in html
    viewer = client_for("viewer").get(QUESTIONS, {"department": fin.pk}).content.decode()
    assert "Financial system" in viewer and "Save the answer" not in viewer
    assert "you may read the answers, not give them" in viewer
    assert client_for("board").get(QUESTIONS).status_code == 200  # the chooser alone


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"department": "abc"}, {"department": "99999999"}, {"page": "x"}, {"page": "-1"}]
)
def test_odd_addresses_answer_without_a_server_error(client_for, bought, query):
    assert client_for("staff").get(QUESTIONS, query).status_code in (200, 400)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "post",
    [
        {},
        {"department": "x", "merchant": "y"},
        {"department": "1", "merchant": "99999999", "purpose": "A"},
        {"merchant": "1", "purpose": "\x00", "resident_data": "no", "version": "zz"},
    ],
)
def test_odd_posts_answer_without_a_server_error(client_for, departments, bought, post):
    post = {k: (str(departments["PW"].pk) if v == "1" else v) for k, v in post.items()}
    for role in ("liaison", "staff", "viewer"):
        assert client_for(role).post(QUESTIONS, post).status_code in (302, 400, 403, 404)


@pytest.mark.django_db
def test_the_page_reads_the_same_number_of_queries_for_more_merchants(
    client_for, departments, bought
):
    client = client_for("liaison")
    pw = departments["PW"]

    def count() -> int:
        client.get(QUESTIONS)  # sessions and caches warmed
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUESTIONS).status_code == 200
        return len(queries)

    few = count()
    for n in range(20):
        merchant = _merchant(f"tool {n}", [pw])
        _buy(merchant, pw, "10.00", datetime.date(2026, 3, 1))
        if n % 2:
            shadow_services.answer(context.SYSTEM, merchant, pw, "Something", "unsure")
    assert count() == few


# --- the liaison's home page, the merchant's page ---------------------------------------


@pytest.mark.django_db
def test_the_liaison_home_page_says_how_many_questions_wait(client_for, users, departments, bought):
    home = client_for("liaison").get("/").content.decode()
    assert "Your department has 2 questions to answer about technology it bought." in home
    assert f'href="{QUESTIONS}">Answer them' in home
    shadow_services.answer(users["liaison"], bought["zoom"], departments["PW"], "Meetings", "no")
    home = client_for("liaison").get("/").content.decode()
    assert "Your department has 1 question to answer" in home
    assert "questions to answer" not in client_for("staff").get("/").content.decode()


@pytest.mark.django_db
def test_the_merchants_page_lists_the_answers_and_the_security_review(
    client_for, users, departments, bought
):
    zoom = bought["zoom"]
    shadow_services.answer(users["liaison"], zoom, departments["PW"], "Crew meetings", "no")
    shadow_services.answer(users["staff"], zoom, departments["FIN"], "Resident hearings", "yes")
    url = zoom.get_absolute_url()
    for role in ("liaison", "viewer"):
        html = client_for(role).get(url).content.decode()
        assert "Crew meetings" in html and "Resident hearings" in html
        assert "Security review: <strong>never recorded</strong>" in html
        assert "Record a security review today" not in html
    staff = client_for("staff")
    assert "Record a security review today" in staff.get(url).content.decode()
    review = reverse("shadowit:merchant_security_review", args=[zoom.pk])
    assert client_for("liaison").post(review, {"version": zoom.version}).status_code == 403
    assert staff.post(review, {"version": zoom.version}).status_code == 302
    zoom.refresh_from_db()
    assert zoom.security_reviewed_on == timezone.localdate()
    today = timezone.localdate().isoformat()
    assert f"Security review: <strong>{today}</strong>" in staff.get(url).content.decode()


@pytest.mark.django_db
def test_a_liaison_sees_their_own_purchases_and_changes_only_theirs(
    client_for, users, departments, bought
):
    """Purchases are shared inside the government: a liaison reads every department's, on
    the list and on the merchant's page, and changes only their own department's."""
    client = client_for("liaison")
    pw, fin = departments["PW"], departments["FIN"]
    listed = client.get(reverse("shadowit:purchase_list"), {"owner_department": pw.pk})
    html = listed.content.decode()
    assert "ZOOM" in html and "GOVFORMS" in html and "TYLER" not in html
    merchant_page = client.get(bought["zoom"].get_absolute_url()).content.decode()
    assert "Purchases (3)" in merchant_page  # Public Works' two and Finance's one
    own = Purchase.objects.filter(owner_department=pw).first()
    theirs = Purchase.objects.filter(owner_department=fin).first()
    liaison = users["liaison"]
    services.update(liaison, own, {"description": "Crew meetings"}, version=own.version)
    with pytest.raises(PermissionDenied):
        services.update(liaison, theirs, {"description": "Mine"}, version=theirs.version)
    with pytest.raises(PermissionDenied):  # nor hand their own to another department
        services.update(liaison, own, {"owner_department": fin}, version=own.version + 1)


@pytest.mark.django_db
def test_a_refusal_about_a_merchant_the_department_is_not_asked_about_is_said(
    client_for, departments, bought
):
    refused = client_for("staff").post(
        QUESTIONS,
        {"merchant": bought["tyler"].pk, "department": departments["PW"].pk, "purpose": ""},
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Tyler: not saved." in html and "Say what the department uses it for." in html
