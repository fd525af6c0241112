"""`{% resident_input pub record %}`: a public record's comment form and published
comments, when staff opened it for comment."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("public/input/panel.html", takes_context=True)
def resident_input(context: Any, pub: Any, record: Any) -> dict[str, Any]:
    from townhall.public.pages.input import comment_panel

    request = context["request"]
    return {"request": request, "input": comment_panel(request, pub, record.pk)}
