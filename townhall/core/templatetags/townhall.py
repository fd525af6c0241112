"""Template components every page shares, so pages do not copy their markup."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

register = template.Library()


def _address(target: Any) -> str:
    """A URL as given, or the address of a URL name ("cyber:risk_list")."""
    text = str(target)
    if "/" in text or ":" not in text:
        return text
    try:
        return reverse(text)
    except NoReverseMatch:
        return text


@register.simple_tag
def crumbs(*parts: Any) -> SafeString:
    """USWDS breadcrumbs: Home, then (label, address or URL name) pairs, then the page's
    own label. A pair whose label is empty is left out (a plan a runbook may not have)."""
    *pairs, here = parts if parts else ("",)
    if len(pairs) % 2:
        raise template.TemplateSyntaxError("crumbs takes label, address pairs and a last label")
    links = [("Home", reverse("core:home"))]
    links += [
        (label, _address(to)) for label, to in zip(pairs[::2], pairs[1::2], strict=True) if label
    ]
    items = format_html_join(
        "",
        '<li class="usa-breadcrumb__list-item"><a href="{}" class="usa-breadcrumb__link">'
        "<span>{}</span></a></li>",
        ((to, label) for label, to in links),
    )
    last = format_html(
        '<li class="usa-breadcrumb__list-item" aria-current="page"><span>{}</span></li>', here
    )
    return format_html(
        '<nav class="usa-breadcrumb" aria-label="Breadcrumbs">'
        '<ol class="usa-breadcrumb__list">{}{}</ol></nav>',
        items,
        last,
    )


class AlertNode(template.Node):
    def __init__(self, nodelist: template.NodeList, tone: Any, options: dict[str, Any]) -> None:
        self.nodelist, self.tone, self.options = nodelist, tone, options

    def render(self, context: template.Context) -> str:
        tone = str(self.tone.resolve(context))
        if tone not in ALERT_TONES:
            raise template.TemplateSyntaxError(f"alert tone {tone!r} is not one of {ALERT_TONES}")
        given = {name: value.resolve(context) for name, value in self.options.items()}
        classes = f"usa-alert usa-alert--{tone}"
        if given.get("slim", True):
            classes += " usa-alert--slim"
        attrs = format_html_join(
            "", ' {}="{}"', ((name, given[name]) for name in ("id", "role") if given.get(name))
        )
        heading = given.get("heading")
        top = format_html('<h2 class="usa-alert__heading">{}</h2>', heading) if heading else ""
        return format_html(
            '<div class="{}"{}><div class="usa-alert__body">{}'
            '<p class="usa-alert__text">{}</p></div></div>',
            classes,
            attrs,
            top,
            self.nodelist.render(context),  # already escaped by the template engine
        )


ALERT_TONES = ("info", "warning", "error", "success")


@register.tag
def alert(parser: template.base.Parser, token: template.base.Token) -> AlertNode:
    """`{% alert "warning" role="status" %}text{% endalert %}`: a USWDS alert, slim unless
    slim=False, with an optional heading, id and role (alert, for what must be heard now)."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("alert needs a tone: info, warning, error or success")
    tone = parser.compile_filter(bits[0])
    options = template.base.token_kwargs(bits[1:], parser)
    unknown = set(options) - {"slim", "role", "id", "heading"}
    if unknown or len(options) != len(bits) - 1:
        raise template.TemplateSyntaxError(f"alert takes slim, role, id and heading: {bits[1:]}")
    nodelist = parser.parse(("endalert",))
    parser.delete_first_token()
    return AlertNode(nodelist, tone, options)
