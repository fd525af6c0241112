"""Template components shared by every page (core/templatetags/townhall.py)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(text: str, **values: object) -> str:
    return Template("{% load townhall %}" + text).render(Context(values))


def test_crumbs_link_home_then_each_pair_and_mark_the_page_itself():
    html = render('{% crumbs "Assessments" "cyber:assessment_list" "Start" %}')
    assert html.count('class="usa-breadcrumb__list-item"') == 3
    assert '<a href="/" class="usa-breadcrumb__link"><span>Home</span></a>' in html
    assert 'href="/cyber/assessments/"' in html and "<span>Assessments</span>" in html
    assert html.endswith('aria-current="page"><span>Start</span></li></ol></nav>')
    assert html.count("aria-current") == 1


def test_crumbs_take_addresses_and_records_and_skip_an_empty_label():
    class Plan:
        def __str__(self) -> str:
            return "Plan <v2> & more"

    html = render("{% crumbs plan url missing missing_url 'Runbook' %}", plan=Plan(), url="/p/7/")
    assert 'href="/p/7/"' in html and "Plan &lt;v2&gt; &amp; more" in html
    assert html.count("<li") == 3  # Home, the plan, the page: the empty pair is left out


def test_crumbs_need_pairs_before_the_last_label():
    with pytest.raises(TemplateSyntaxError):
        render('{% crumbs "Assessments" "Start" "Extra" "More" %}')


def test_an_alert_is_slim_by_default_and_escapes_what_it_is_given():
    html = render('{% alert "warning" role="status" %}Due {{ when }}{% endalert %}', when="<soon>")
    assert html == (
        '<div class="usa-alert usa-alert--warning usa-alert--slim" role="status">'
        '<div class="usa-alert__body"><p class="usa-alert__text">Due &lt;soon&gt;</p></div></div>'
    )


def test_an_alert_may_be_full_size_with_a_heading_and_an_id():
    html = render(
        '{% alert "error" slim=False id="form-errors" heading=title %}x{% endalert %}', title="Fix"
    )
    assert html.startswith('<div class="usa-alert usa-alert--error" id="form-errors">')
    assert '<h2 class="usa-alert__heading">Fix</h2>' in html


@pytest.mark.parametrize(
    "text",
    ["{% alert %}x{% endalert %}", '{% alert "info" colour="red" %}x{% endalert %}'],
)
def test_an_alert_refuses_what_it_does_not_know(text):
    with pytest.raises(TemplateSyntaxError):
        render(text)


def test_an_alert_tone_must_be_one_of_uswds():
    with pytest.raises(TemplateSyntaxError):
        render('{% alert "loud" %}x{% endalert %}')
