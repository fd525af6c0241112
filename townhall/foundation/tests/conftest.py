"""What the foundation tests share: a small estate whose health has a reason of each kind."""

import datetime

import pytest
from django.utils import timezone

from townhall.continuity.tests import factories as f
from townhall.cyber import models as cm
from townhall.cyber.tests import factories as cf


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def estate(departments):
    """911 dispatch (mission-essential) needs CAD, which runs on a pair of servers (a
    redundancy group) and on one database server alone. Permits needs CAD too."""
    pw = departments["PW"]
    dispatch, permits = f.service("911 dispatch", pw), f.service("Permits", pw)
    f.impact(dispatch, rto_hours=1, mission_essential=True)
    cad = f.system("CAD", pw)
    a, b, db = f.component("web-a", pw), f.component("web-b", pw), f.component("db-1", pw)
    pair = f.group("Web pair", a, b, department=pw)
    f.needs(dispatch, cad)
    f.needs(permits, cad)
    f.needs(cad, pair)
    f.needs(cad, db)
    f.recovery(db, restore_hours=2, last_restore_test=days_ago(400))
    vuln = cf.vulnerability("CVE-2024-0001")
    cf.create(cm.Exposure, kind="kev", component=a, vulnerability=vuln, version_status="affected")
    other = cf.vulnerability("CVE-2024-0002")
    cf.create(
        cm.Exposure, kind="kev", component=b, vulnerability=other, version_status="not_affected"
    )
    cf.create(
        cm.Incident,
        title="Phishing",
        detected=timezone.now() - datetime.timedelta(days=30),
        owner_department=pw,
        systems=[cad],
    )
    cf.create(
        cm.Incident,
        title="Old one",
        detected=timezone.now() - datetime.timedelta(days=400),
        owner_department=pw,
        systems=[cad],
    )
    return {"dispatch": dispatch, "permits": permits, "cad": cad, "a": a, "b": b, "db": db}
