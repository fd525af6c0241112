"""The continuum's reference data and the pure rules of `interop.py`: the latest rating of
each lane, the matrix and its gaps."""

import datetime
import json

import pytest

from townhall.registers import interop
from townhall.registers.models import LaneRating, PartnerAgency

TODAY = datetime.date(2026, 6, 1)


def test_the_reference_data_describes_five_lanes_of_five_stages():
    lanes = interop.load_continuum()
    assert [lane.key for lane in lanes] == [key for key, _ in LaneRating.Lane.choices]
    for lane in lanes:
        assert [s.level for s in lane.stages] == [1, 2, 3, 4, 5]
        assert all(s.label and s.sentence.endswith(".") for s in lane.stages)


def test_the_expected_partner_kinds_are_kinds_of_partner():
    assert set(interop.EXPECTED_KINDS) <= {k for k, _ in PartnerAgency.Kind.choices}


def test_a_lane_missing_a_stage_is_refused():
    data = json.loads(interop.CONTINUUM_FILE.read_text())
    del data["lanes"][0]["levels"][2]
    with pytest.raises(ValueError, match="governance"):
        interop.parse_continuum(data)


def test_each_lane_stands_at_its_latest_rating():
    lanes = interop.load_continuum()
    ratings = [
        interop.Rating("technology", 3, datetime.date(2025, 1, 1), 1),
        interop.Rating("governance", 1, datetime.date(2025, 1, 1), 1),
        interop.Rating("technology", 4, datetime.date(2026, 1, 1), 2),
    ]
    found = {s.lane.key: s for s in interop.standings(lanes, ratings)}
    assert found["technology"].level == 4
    assert found["technology"].stage.level == 4
    # A lane the latest assessment left out keeps its earlier rating.
    assert found["governance"].level == 1
    assert found["usage"].rating is None and found["usage"].level == 0
    assert found["usage"].stage is None


def _estate():
    partners = [
        interop.Partner(1, "Alder County", "neighbouring"),
        interop.Partner(2, "Medical Center", "hospital"),
        interop.Partner(3, "Electric Co-op", "utility"),
        interop.Partner(4, "State Patrol", "state"),
    ]
    groups = [
        interop.Group(10, "Mutual Aid", "P25", 100),
        interop.Group(11, "Fire Dispatch", "P25", 100),
        interop.Group(12, "Utilities", "Regional", 101),
        interop.Group(13, "Tactical", "P25", 100),
    ]
    links = [
        interop.Link(1, 10, "shared_system", datetime.date(2026, 5, 1), "yes"),
        interop.Link(2, 11, "cache_radios", datetime.date(2026, 4, 1), "yes"),
        interop.Link(3, 12, "shared_channel", None, "yes"),
        interop.Link(4, 10, "gateway", datetime.date(2024, 4, 1), "yes"),  # over a year ago
        interop.Link(4, 11, "gateway", datetime.date(2026, 4, 1), "no"),
    ]
    return partners, groups, links


def test_the_matrix_puts_each_link_in_its_cell():
    partners, groups, links = _estate()
    grid = interop.matrix(partners, groups, links)
    names = [g.name for g in grid.talkgroups]
    assert names == ["Mutual Aid", "Fire Dispatch", "Utilities", "Tactical"]
    rows = {r.partner.name: r for r in grid.rows}
    assert [len(c) for c in rows["State Patrol"].cells] == [1, 1, 0, 0]
    assert rows["Medical Center"].cells[1][0].how == "cache_radios"
    assert rows["Electric Co-op"].cells[0] == []


def test_gaps_name_kinds_without_a_working_link_untested_talkgroups_and_cache_only():
    partners, groups, links = _estate()
    found = interop.gaps(partners, groups, links, TODAY)
    kinds = {g.kind: g.partners for g in found.kinds}
    # The utility's link was never tested, the state's worked too long ago or failed, and
    # nobody federal is recorded; the neighbour and the hospital have working links.
    assert kinds == {"state": 1, "federal": 0, "utility": 1}
    assert [g.name for g in found.untested] == ["Utilities", "Tactical"]
    assert [p.name for p in found.cache_only] == ["Medical Center"]


def test_a_link_tested_a_year_ago_to_the_day_still_counts():
    link = interop.Link(1, 10, "gateway", TODAY - datetime.timedelta(days=365), "yes")
    assert interop.working(link, TODAY)
    older = interop.Link(1, 10, "gateway", TODAY - datetime.timedelta(days=366), "yes")
    assert not interop.working(older, TODAY)
    assert not interop.working(interop.Link(1, 10, "gateway", TODAY, "partly"), TODAY)
