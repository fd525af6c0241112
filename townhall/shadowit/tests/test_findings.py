"""The findings on hand-counted rows, without a database: duplicates and their saving, the
share of technology spend outside IT, residents' data without a contract or a review, and
services without single sign-on, each keeping the ids of its records."""

import datetime
from decimal import Decimal

from townhall.shadowit import findings as f

TODAY = datetime.date(2026, 4, 10)  # the window: April 2025 to March 2026
D = datetime.date


def m(id_, key, category="software", status="new", **kw):
    return f.MerchantRow(id=id_, key=key, name=key.title(), category=category, status=status, **kw)


MARCH = D(2026, 3, 5)


def p(id_, key, dept, amount, day=MARCH):
    return f.PurchaseRow(id_, key, dept, Decimal(amount), day)


def test_the_window_is_the_twelve_complete_months_before_this_one():
    first, last, months = f.window(TODAY)
    assert (first, last) == (D(2025, 4, 1), D(2026, 3, 31))
    assert months[0] == "2025-04" and months[-1] == "2026-03" and len(months) == 12
    assert f.window(D(2026, 1, 15))[:2] == (D(2025, 1, 1), D(2025, 12, 31))


def test_the_same_tool_bought_by_two_departments():
    merchants = [m(1, "zoom"), m(2, "cafe", "not_technology")]
    purchases = [
        p(10, "zoom", 1, "300"),
        p(11, "zoom", 1, "100"),
        p(12, "zoom", 2, "200"),
        p(13, "zoom", 3, "50"),
        p(14, "zoom", 3, "-50"),  # refunded: department 3 pays nothing
        p(15, "cafe", 2, "99"),
        p(16, "cafe", 1, "99"),
    ]
    (dup,) = f.find_duplicates(merchants, purchases)
    assert dup.kind == "same" and dup.label == "Zoom"
    assert dup.department_ids == (1, 2) and dup.merchant_ids == (1,)
    assert dup.spend == Decimal("600")
    # keep the largest (400), save 30% of the other 200
    assert dup.saving == Decimal("60.00")
    assert set(dup.purchase_ids) == {10, 11, 12}


def test_equivalent_tools_of_one_kind_count_once():
    merchants = [
        m(1, "zoom", tool_kind="video meetings"),
        m(2, "webex", tool_kind="Video meetings "),
        m(3, "gotomeeting", tool_kind="video meetings", status="dismissed"),
        m(4, "docusign"),
    ]
    purchases = [
        p(10, "zoom", 1, "1000"),
        p(11, "zoom", 2, "100"),
        p(12, "webex", 3, "500"),
        p(13, "gotomeeting", 4, "400"),
        p(14, "docusign", 1, "10"),
    ]
    (dup,) = f.find_duplicates(merchants, purchases, share=Decimal("0.5"))
    assert dup.kind == "equivalent" and dup.label == "video meetings"
    assert dup.merchant_ids == (1, 2)  # zoom alone is not reported again
    assert dup.spend == Decimal("1600") and dup.saving == Decimal("300.00")
    result = f.compute(f.Input(TODAY, merchants, purchases, share=Decimal("0.5")))
    assert result.saving == Decimal("300.00")


def test_one_department_with_two_tools_of_a_kind_is_no_duplicate():
    merchants = [m(1, "zoom", tool_kind="video"), m(2, "webex", tool_kind="video")]
    assert f.find_duplicates(merchants, [p(1, "zoom", 1, "5"), p(2, "webex", 1, "5")]) == []


def test_the_share_outside_it_per_department_and_month():
    merchants = [
        m(1, "slack"),  # new: outside IT
        m(2, "microsoft", status="adopted"),
        m(3, "dell", "hardware", status="dismissed"),  # dismissed is still outside IT
        m(4, "cafe", "not_technology"),
    ]
    purchases = [
        p(10, "slack", 1, "100", D(2026, 3, 5)),
        p(11, "microsoft", 1, "300", D(2026, 3, 6)),
        p(12, "dell", 2, "200", D(2026, 2, 1)),
        p(13, "cafe", 2, "1000", D(2026, 2, 1)),
        p(14, "slack", 1, "999", D(2026, 4, 1)),  # this month: outside the window
        p(15, "slack", 1, "999", D(2025, 3, 31)),  # before the window
    ]
    systems = [
        f.SystemRow(20, 1, Decimal("1200")),
        f.SystemRow(21, 2, Decimal("2400"), lifecycle="retired"),
        f.SystemRow(22, 2, None),
    ]
    result = f.compute(f.Input(TODAY, merchants, purchases, systems=systems))
    assert result.overall.outside == Decimal("300")
    assert result.overall.technology == Decimal("600") + Decimal("1200")
    assert result.overall.purchase_ids == (10, 12)
    assert result.overall.system_ids == (20,)
    assert round(result.overall.percent, 2) == round(300 / 1800 * 100, 2)
    by_dept = {s.label: s for s in result.by_department}
    assert by_dept["1"].outside == 100 and by_dept["1"].technology == 1600
    assert by_dept["2"].outside == 200 and by_dept["2"].percent == 100.0
    months = {s.label: s for s in result.by_month}
    assert len(months) == 12
    assert months["2026-03"].outside == 100
    assert months["2026-03"].technology == Decimal("400") + Decimal("100")  # 1200 / 12
    assert months["2025-06"].outside == 0 and months["2025-06"].percent == 0.0


def test_what_it_buys_itself_is_never_outside_it():
    merchants = [m(1, "slack"), m(2, "tyler")]
    purchases = [p(10, "slack", 1, "100"), p(11, "tyler", 9, "900")]
    result = f.compute(f.Input(TODAY, merchants, purchases, it_departments=frozenset({9})))
    assert result.overall.outside == 100 and result.overall.technology == 1000
    by_dept = {s.label: s for s in result.by_department}
    assert by_dept["9"].outside == 0 and by_dept["9"].percent == 0.0


def test_no_technology_spend_has_no_share():
    result = f.compute(f.Input(TODAY, [m(1, "cafe", "not_technology")], [p(1, "cafe", 1, "5")]))
    assert result.overall.percent is None and result.by_department == []


def test_residents_data_without_a_contract_or_a_review():
    merchants = [
        m(1, "govforms"),  # yes answer, no vendor, no review
        m(2, "docusign", vendor_id=7, security_reviewed_on=D(2026, 1, 1)),  # covered
        m(3, "survey", vendor_id=8, security_reviewed_on=D(2024, 1, 1)),  # review too old
        m(4, "adopted", system_id=30, security_reviewed_on=D(2026, 1, 1)),  # PII, no contract
        m(5, "unsure"),  # unsure answers say nothing
        m(6, "thrown", status="dismissed"),
    ]
    answers = [
        f.AnswerRow(100, 1, 1, "yes"),
        f.AnswerRow(101, 1, 2, "yes"),
        f.AnswerRow(102, 2, 1, "yes"),
        f.AnswerRow(103, 3, 1, "yes"),
        f.AnswerRow(104, 5, 1, "unsure"),
        f.AnswerRow(105, 6, 1, "yes"),
    ]
    contracts = [
        f.ContractRow(40, 7, D(2025, 1, 1), D(2027, 1, 1)),
        f.ContractRow(41, 8, D(2025, 1, 1), None),
        f.ContractRow(42, 9, D(2020, 1, 1), D(2021, 1, 1), system_ids=(30,)),  # ended
    ]
    systems = [f.SystemRow(30, 1, None, holds_pii=True)]
    found = {e.merchant_id: e for e in f.exposures(merchants, answers, contracts, systems, TODAY)}
    assert set(found) == {1, 3, 4}
    assert found[1].answer_ids == (100, 101) and found[1].no_contract and found[1].no_review
    assert found[1].reasons[0] == "2 departments said it holds residents' data"
    assert not found[3].no_contract and found[3].no_review
    assert "last security review on January 1, 2024" in found[3].reasons
    assert found[4].system_id == 30 and found[4].no_contract and not found[4].no_review
    # a current contract covering the adopted system is enough
    covered = [*contracts, f.ContractRow(43, None, None, None, system_ids=(30,))]
    again = f.exposures(merchants, answers, covered, systems, TODAY)
    assert 4 not in {e.merchant_id for e in again}


def test_services_without_single_sign_on():
    merchants = [
        m(1, "canva"),  # nothing linked
        m(2, "slack", sign_in_application="Slack", users=12),  # reached by sign-on
        m(3, "dropbox", sign_in_application="Dropbox", users=0),  # linked, nobody
        m(4, "verizon", "telecom"),  # not software
        m(5, "old"),  # no spend in the window
    ]
    purchases = [
        p(10, "canva", 1, "120"),
        p(11, "canva", 2, "120"),
        p(12, "slack", 1, "80"),
        p(13, "dropbox", 1, "20"),
        p(14, "verizon", 1, "500"),
        p(15, "old", 1, "10", D(2024, 1, 1)),
    ]
    result = f.compute(f.Input(TODAY, merchants, purchases))
    assert [(n.merchant_id, n.spend) for n in result.no_sign_on] == [
        (1, Decimal("240")),
        (3, Decimal("20")),
    ]
    canva, dropbox = result.no_sign_on
    assert canva.purchase_ids == (10, 11) and canva.department_ids == (1, 2)
    assert "no sign-in application" in canva.why and "nobody signs in" in dropbox.why


def test_an_adopted_system_paid_by_card_is_counted_once():
    # Microsoft was adopted as system 20, whose recorded cost came from its card spend: the
    # purchases stand for it, and its recorded cost is not added again.
    merchants = [m(1, "slack"), m(2, "microsoft", status="adopted", system_id=20)]
    purchases = [p(10, "slack", 1, "100"), p(11, "microsoft", 1, "300")]
    systems = [f.SystemRow(20, 1, Decimal("3600")), f.SystemRow(21, 1, Decimal("1200"))]
    result = f.compute(f.Input(TODAY, merchants, purchases, systems=systems))
    assert result.overall.technology == Decimal("400") + Decimal("1200")
    assert result.overall.system_ids == (21,)
    assert {s.label: s.technology for s in result.by_department}["1"] == 1600
    months = {s.label: s for s in result.by_month}
    assert months["2026-03"].technology == Decimal("400") + Decimal("100")
    # No card purchase of it in the window: its recorded cost is its spend again.
    quiet = f.compute(f.Input(TODAY, merchants, purchases[:1], systems=systems))
    assert quiet.overall.technology == Decimal("100") + Decimal("3600") + Decimal("1200")
    assert quiet.overall.system_ids == (20, 21)
