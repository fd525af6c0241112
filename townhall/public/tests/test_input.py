"""Residents' input: a comment is kept unconfirmed until the resident opens the e-mailed
link, waits for a moderator, and each decision is audited; the rules (link expiry,
honeypot, rate limits, the word list, reports of abuse) each hold; ideas become draft
proposals that link back; the board sees what residents said."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from townhall.audit.models import AuditEntry
from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.governance.models import Proposal
from townhall.public import screening
from townhall.public.models import AbuseReport, CommentWindow, ResidentInput
from townhall.public.tests.input_helpers import ADDRESS, comment, last_link, open_proposal


@pytest.mark.django_db
def test_a_comment_is_confirmed_moderated_audited_and_seen_by_the_board(client_for, users):
    staff = client_for("staff")
    proposal = open_proposal(staff)
    detail = reverse("public:detail", args=["investments", proposal.pk])
    resident = Client()
    page = resident.get(detail).content.decode()
    assert f'action="/public/investments/{proposal.pk}/comment/"' in page
    assert "csrfmiddlewaretoken" in page

    # CSRF on the form: without the token, nothing is taken.
    strict = Client(enforce_csrf_checks=True)
    assert comment(strict, proposal.pk, "Zqcomment without token").status_code == 403

    assert comment(resident, proposal.pk, "Zqcomment please fund it").status_code == 200
    item = ResidentInput.objects.get()
    assert item.status == "unconfirmed" and len(mail.outbox) == 1
    # No account confirms for a resident, an administrator's neither.
    admin_publish = {"input": item.pk, "action": "publish"}
    assert (
        client_for("admin").post(reverse("publishing:moderation"), admin_publish).status_code == 400
    )
    assert mail.outbox[0].to == [ADDRESS]
    link = last_link()
    assert "Zqcomment" not in resident.get(detail).content.decode()

    # Opening the link only asks; the button confirms. Then it waits for a moderator.
    assert resident.get(link).status_code == 200
    item.refresh_from_db()
    assert item.status == "unconfirmed"
    assert resident.post(link).status_code == 200
    item.refresh_from_db()
    assert item.status == "pending"
    assert "Zqcomment" not in resident.get(detail).content.decode()

    # Only IT staff moderate; a board member may not.
    queue = reverse("publishing:moderation")
    assert client_for("board").get(queue).status_code == 403
    assert "Zqcomment please fund it" in staff.get(queue).content.decode()
    decision = {"input": item.pk, "version": item.version, "action": "publish"}
    assert staff.post(queue, decision).status_code == 302
    item.refresh_from_db()
    assert item.status == "published"
    assert "Zqcomment please fund it" in resident.get(detail).content.decode()
    published = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("pk").last()
    assert published is not None and published.actor_name == "staff1"
    assert "pending → published" in published.after["transition"]

    # The board sees it on the proposal's scoring page.
    board_page = client_for("board").get(reverse("governance:proposal_scores", args=[proposal.pk]))
    text = board_page.content.decode()
    assert "What residents said" in text and "Zqcomment please fund it" in text
    assert "1 comment confirmed" in text
    from townhall.governance import packet

    page = next(
        x
        for x in packet.packet_context(users["board"], proposal.cycle)["proposals"]
        if x["p"].pk == proposal.pk
    )
    assert page["added"] == [
        {
            "title": "What residents said",
            "lines": ["0 showed support; 1 comment confirmed.", "“Zqcomment please fund it”"],
        }
    ]

    # A resident reports it: it comes back to the queue; a rejection needs a reason.
    reported = resident.post(reverse("public:report", args=[item.pk]), {"reason": "rude"})
    assert reported.status_code == 200
    assert AbuseReport.objects.filter(input=item).count() == 1
    assert "Reported as abusive 1 time" in staff.get(queue).content.decode()
    item.refresh_from_db()
    no_reason = {"input": item.pk, "action": "reject", "reason": ""}
    assert staff.post(queue, no_reason).status_code == 400
    assert staff.post(queue, {**no_reason, "reason": "Zqreason insults"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "rejected" and item.reason == "Zqreason insults"
    rejected = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("pk").last()
    assert rejected is not None and "Zqreason insults" in rejected.after["transition"]
    assert "Zqcomment" not in resident.get(detail).content.decode()

    # The address is kept nowhere: not on the record, not in its history.
    assert ADDRESS not in str(ResidentInput.objects.values().get())
    for entry in AuditEntry.objects.filter(object_id=str(item.pk)):
        assert ADDRESS not in str(entry.before) + str(entry.after)


@pytest.mark.django_db
def test_the_rules_of_input(client_for, settings):
    proposal = open_proposal(client_for("staff"))
    resident = Client()

    # The honeypot: a robot's send is thanked and dropped, no mail.
    assert comment(resident, proposal.pk, "Zqrobot", website="http://spam").status_code == 200
    assert not ResidentInput.objects.exists() and not mail.outbox

    # Bounded sizes and a comment needs words; support needs none.
    assert comment(resident, proposal.pk, "x" * 2001).status_code == 400
    assert comment(resident, proposal.pk, "  ").status_code == 400
    support = {"kind": "support", "email": ADDRESS, "website": ""}
    path = reverse("public:comment", args=["investments", proposal.pk])
    assert resident.post(path, support).status_code == 200

    # An expired link confirms nothing.
    settings.PUBLIC_INPUT_CONFIRM_HOURS = 0
    expired = resident.post(last_link())
    assert expired.status_code == 400 and ResidentInput.objects.get().status == "unconfirmed"
    assert resident.post("/public/confirm/forged-token/").status_code == 400
    settings.PUBLIC_INPUT_CONFIRM_HOURS = 48

    # The word list holds a comment for a moderator, whatever the setting says.
    settings.PUBLIC_INPUT_PUBLISH_AT_ONCE = True
    assert comment(resident, proposal.pk, "What an IDIOT plan.").status_code == 200
    resident.post(last_link())
    held = ResidentInput.objects.get(body="What an IDIOT plan.")
    assert held.status == "held" and held.held_words == "idiot"
    # Without a listed word, the setting publishes at once.
    assert comment(resident, proposal.pk, "Zqfine idea").status_code == 200
    resident.post(last_link())
    assert ResidentInput.objects.get(body="Zqfine idea").status == "published"
    assert screening.held_words("Idiotic? No.", frozenset({"idiot"})) == []

    # Rate limit per address (5 an hour by default): the sixth is refused.
    assert comment(resident, proposal.pk, "Zqfourth").status_code == 200
    assert comment(resident, proposal.pk, "Zqfifth").status_code == 200
    assert comment(resident, proposal.pk, "Zqsixth").status_code == 429
    # ... and per client, whatever the address.
    settings.PUBLIC_INPUT_PER_CLIENT = 5  # five were sent from it
    assert comment(resident, proposal.pk, "Zqother", email="b@example.org").status_code == 429

    # A closed window takes nothing and shows no form.
    window = CommentWindow.objects.get()
    with context.acting("system"):
        services.update(
            SYSTEM, window, {"opens": "2000-01-01", "closes": "2000-01-02"}, version=window.version
        )
    assert comment(resident, proposal.pk, "Zqlate", email="c@example.org").status_code == 404
    closed = resident.get(reverse("public:detail", args=["investments", proposal.pk]))
    assert "Have your say" not in closed.content.decode()
    assert "Zqfine idea" in closed.content.decode()  # what was published stays


@pytest.mark.django_db
def test_an_idea_becomes_a_draft_proposal_that_links_back(client_for, departments):
    staff = client_for("staff")
    proposal = open_proposal(staff)  # a budget cycle to put the new proposal in
    resident = Client()
    idea = {"title": "Zqidea text alerts", "body": "Zqidea tell me when", "email": ADDRESS}
    assert resident.get(reverse("public:idea")).status_code == 200
    assert resident.post(reverse("public:idea"), {**idea, "title": ""}).status_code == 400
    assert resident.post(reverse("public:idea"), idea).status_code == 200
    resident.post(last_link())
    item = ResidentInput.objects.get(kind="idea")
    queue = reverse("publishing:moderation")
    staff.post(queue, {"input": item.pk, "action": "publish"})
    answer = staff.post(
        queue,
        {
            "input": item.pk,
            "action": "proposal",
            "cycle": proposal.cycle_id,
            "department": departments["PW"].pk,
        },
    )
    assert answer.status_code == 302, answer.content
    item.refresh_from_db()
    made = Proposal.objects.get(title="Zqidea text alerts")
    assert item.proposal == made and made.status == "draft"
    assert made.problem == "Zqidea tell me when"
    assert f"number {item.pk}" in made.notes
    # Numbers that are not numbers are refused, not an error page.
    nonsense = {"input": item.pk, "action": "proposal", "cycle": "x", "department": "1e9"}
    assert staff.post(queue, nonsense).status_code == 400
    # Twice is refused, not a second proposal.
    again = {"input": item.pk, "action": "proposal", "cycle": proposal.cycle_id}
    assert staff.post(queue, {**again, "department": departments["PW"].pk}).status_code == 400
