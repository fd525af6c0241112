"""Residents' input on the public site: the comment and support form on a record open for
comment, the ideas form, the confirmation link and reports of abuse. Open to everyone;
every form is a CSRF-protected POST, sizes are bounded, a hidden field nobody sees (the
honeypot) catches robots, and too many sends from one address or client are refused."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from townhall.accounts import throttle
from townhall.public import language, publishing, residents
from townhall.public.models import MAX_IDEA_TITLE, MAX_INPUT, CommentWindow, ResidentInput
from townhall.public.pages.site import _context, _published

HONEYPOT = "website"


class _Honeypot(forms.Form):
    # Hidden from people (off screen, out of the tab order); robots fill it in.
    website = forms.CharField(required=False, max_length=200)

    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT))


class _SentByEmail(_Honeypot):
    """What a resident sends: confirmed by a link to the address given (the honeypot too)."""

    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=residents.MAX_ADDRESS,
        help_text=gettext_lazy(
            "We send you a link to confirm. We never show or publish your address."
        ),
    )


class CommentForm(_SentByEmail):
    field_order = ["kind", "body", "email"]

    kind = forms.ChoiceField(
        label=gettext_lazy("What do you want to do?"),
        choices=[
            ("comment", gettext_lazy("Leave a comment")),
            ("support", gettext_lazy("Show my support")),
        ],
        widget=forms.RadioSelect,
        initial="comment",
    )
    body = forms.CharField(
        label=gettext_lazy("Your comment"),
        required=False,
        max_length=MAX_INPUT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class IdeaForm(_SentByEmail):
    field_order = ["title", "body", "email"]

    title = forms.CharField(
        label=gettext_lazy("Your idea in a few words"), max_length=MAX_IDEA_TITLE
    )
    body = forms.CharField(
        label=gettext_lazy("Tell us more"),
        max_length=MAX_INPUT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class ReportForm(_Honeypot):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with it?"), required=False, max_length=300
    )


def _client(request: HttpRequest) -> str:
    """The resident's own address, as sign-in's throttle reads it (behind a trusted proxy,
    the address it forwards), so residents behind the county's proxy are limited apart."""
    return throttle.client_address(request) or "unknown"


def _confirm_url(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("public:confirm", args=[token]))


def _sent(request: HttpRequest) -> HttpResponse:
    return render(request, "public/input/sent.html", _context(request))


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "public/input/too_many.html", _context(request), status=429)


def comment_panel(request: HttpRequest, pub: Any, pk: int, form: Any = None) -> dict[str, Any]:
    """What a public record's page shows of residents' input: the form when the record is
    open for comment, and the published comments."""
    window = residents.open_window(pub.kind.key, pk)
    if window is None:
        # Closed: what residents said stays, without the form.
        past = CommentWindow.objects.filter(target_kind=pub.kind.key, target_id=pk).first()
        return {"comments": residents.published_comments(past)} if past else {}
    return {
        "window": window,
        "form": form or CommentForm(),
        "comments": residents.published_comments(window),
        "action": reverse("public:comment", args=[pub.kind.slug, pk]),
    }


@login_not_required
@require_POST
@language.in_visitor_language
def comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    pub = _published(slug)
    record = publishing.record(pub, pk)
    window = residents.open_window(pub.kind.key, pk)
    if record is None or window is None:
        raise Http404(_("This record is not open for comment."))
    form = CommentForm(request.POST)
    if form.is_robot():
        return _sent(request)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"] == "comment" and not data["body"].strip():
            form.add_error("body", _("Write your comment, or choose to show your support."))
        else:
            try:
                residents.submit(
                    kind=data["kind"],
                    address=data["email"],
                    client=_client(request),
                    confirm_url=_confirm_url(request),
                    window=window,
                    body=data["body"] if data["kind"] == "comment" else "",
                )
            except residents.TooMany:
                return _too_many(request)
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return _sent(request)
    panel = comment_panel(request, pub, pk, form)
    return render(
        request,
        "public/input/comment.html",
        _context(request, pub=pub, record=record, input=panel),
        status=400,
    )


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@language.in_visitor_language
def idea(request: HttpRequest) -> HttpResponse:
    form = IdeaForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_robot():
            return _sent(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                residents.submit(
                    kind=ResidentInput.Kind.IDEA,
                    address=data["email"],
                    client=_client(request),
                    confirm_url=_confirm_url(request),
                    title=data["title"],
                    body=data["body"],
                )
            except residents.TooMany:
                return _too_many(request)
            except ValidationError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                return _sent(request)
    status = 400 if request.method == "POST" else 200
    return render(request, "public/input/idea.html", _context(request, form=form), status=status)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
@language.in_visitor_language
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A link opened from e-mail shows a button: the confirmation is a POST, so a mail
    program that opens links to check them confirms nothing."""
    if request.method != "POST":
        return render(request, "public/input/confirm.html", _context(request, token=token))
    item = residents.confirm(token[:500])
    if item is None:
        return render(request, "public/input/expired.html", _context(request), status=400)
    return render(request, "public/input/confirmed.html", _context(request, item=item))


@login_not_required
@require_POST
@language.in_visitor_language
def report(request: HttpRequest, pk: int) -> HttpResponse:
    item = ResidentInput.objects.filter(pk=pk, status=ResidentInput.Status.PUBLISHED).first()
    if item is None:
        raise Http404(_("There is no such comment."))
    form = ReportForm(request.POST)
    if not form.is_robot() and form.is_valid():
        try:
            residents.report(item, form.cleaned_data["reason"], _client(request))
        except residents.TooMany:
            return _too_many(request)
    return render(request, "public/input/reported.html", _context(request))
