"""The demo county's AI use cases tell the story: six uses, one high-impact with every
practice answered, one presumed high-impact, one retired; made once."""

import pytest

from townhall.core import context
from townhall.estate import demo as estate_demo
from townhall.org import demo as org_demo
from townhall.registers import demo
from townhall.registers.models import AIUseCase
from townhall.registers.pages.ai_use_cases import inventory_rows

SIZES = estate_demo.Sizes(
    services=40,
    systems=60,
    components=150,
    vendors=8,
    contracts=6,
    dependencies=300,
    it_staff=14,
    owners_per_department=1,
)


@pytest.mark.django_db
def test_the_demo_county_has_its_six_ai_uses_once():
    assert demo.load_ai_use_cases in demo.LOADERS
    with context.acting("cli"):
        org_demo.load()
        estate_demo.load(seed=1, sizes=SIZES)
        assert demo.load_ai_use_cases() == 6
        assert demo.load_ai_use_cases() == 0
    uses = {u.name: u for u in AIUseCase.objects.select_related("system", "vendor")}
    assert len(uses) == 6
    plates = uses["License-plate readers"]
    assert plates.high_impact == "yes" and plates.remedy == "done" and plates.vendor
    assert plates.owner_department.code == "SHF"
    fraud = uses["Payment fraud detection"]
    assert (fraud.high_impact, fraud.impact_assessment) == ("presumed", "in_progress")
    assert uses["Caseworker note summaries pilot"].stage == "retired"
    # Each use names its system when the demo estate has it.
    from townhall.estate.models import System

    for use in uses.values():
        wanted = next(u["system"] for u in demo._AI_USES if u["name"] == use.name)
        if wanted and System.objects.filter(name=wanted).exists():
            assert use.system is not None and use.system.name == wanted
    assert any(use.system_id for use in uses.values())
    assert plates.next_review_on is not None  # a year after its last review
    for use in uses.values():
        use.full_clean()  # every rule holds
    assert len(list(inventory_rows(context.SYSTEM))) == 6
