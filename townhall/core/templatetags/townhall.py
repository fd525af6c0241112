"""Template components every page shares, so pages do not copy their markup."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import Truncator

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


@register.simple_tag
def bar_chart_svg(chart: Any, id: str, title: Any) -> SafeString:  # noqa: A002 - the HTML id
    """A horizontal bar chart (core/charts.py `bar_chart`) as SVG, written in Python: a chart
    of two hundred departments took 19 ms through a template, most of the training page's
    drawing. A bar with a limit shows it as a dark mark, and turns red above it (below it,
    when the limit is a target to reach)."""
    e = conditional_escape
    names = []
    bars = []
    text_x = chart.label_width - 8
    for bar in chart.bars:
        name = f"{e(bar.label)} {e(bar.text)}"
        if bar.limit_text:
            name += f" of {e(bar.limit_text)}"
        if bar.over:
            name += f" ({e(bar.flag)})"
        names.append(name)
        label = Truncator(bar.label).chars(34)
        short = mark_safe(label) if isinstance(bar.label, SafeData) else e(label)  # noqa: S308
        mark = ""
        if bar.limit_x is not None:
            mark = (
                f'<rect x="{bar.limit_x - 2}" y="{bar.y - 4}" width="4" '
                f'height="{chart.bar_height + 8}" fill="#1b1b1b"></rect>'
            )
        fill = "#b50909" if bar.over else "#005ea2"
        bars.append(
            f'\n  <text x="{text_x}" y="{bar.text_y}" text-anchor="end" font-size="13" '
            f'fill="#1b1b1b">{short}</text>\n'
            f'  <rect x="{chart.label_width}" y="{bar.y}" width="{bar.width}" '
            f'height="{chart.bar_height}" fill="{fill}"></rect>\n'
            f"  {mark}\n"
            f'  <text x="{bar.value_x}" y="{bar.text_y}" font-size="13" font-weight="bold" '
            f'fill="#1b1b1b">{e(bar.text)}</text>\n  '
        )
    html = (
        f'\n<svg role="img" aria-labelledby="{e(id)}-title" viewBox="0 0 {chart.width} '
        f'{chart.height}" width="100%" preserveAspectRatio="xMinYMin meet" focusable="false">\n'
        f'  <title id="{e(id)}-title">{e(title)}: {"; ".join(names)}</title>\n  '
        + "".join(bars)
        + "\n</svg>\n"
    )
    return mark_safe(html)  # noqa: S308 - every value above is escaped
