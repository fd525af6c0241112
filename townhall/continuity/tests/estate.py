"""A small estate whose continuity answers are worked out by hand in the tests.

Payroll (FIN, RTO 8, RPO 1, mission-essential) → ERP (restore 4, RTO 48)
    → SQL cluster (restore 6, backed up every 24 h) → SAN (restore 12)
Permits (PW, RTO 72) → Permit system (restore 2) → SQL cluster
Dispatch (PW, RTO 1, mission-essential) → CAD server (restore time unknown)
"""

from townhall.continuity.tests import factories as f


def build(departments):
    pw, fin = departments["PW"], departments["FIN"]
    s = {
        "payroll": f.service("Payroll", fin),
        "permits": f.service("Permits", pw),
        "dispatch": f.service("Dispatch", pw),
        "erp": f.system("ERP", fin),
        "permit_system": f.system("Permit system", pw),
        "sql": f.component("SQL cluster", fin),
        "san": f.component("SAN", fin, kind="storage"),
        "cad": f.component("CAD server", pw),
    }
    f.impact(s["payroll"], rto_hours=8, mtd_hours=24, rpo_hours=1, mission_essential=True)
    f.impact(s["permits"], rto_hours=72)
    f.impact(s["dispatch"], rto_hours=1, mission_essential=True)
    f.recovery(s["erp"], restore_hours=4, rto_hours=48)
    f.recovery(s["permit_system"], restore_hours=2)
    f.recovery(s["sql"], restore_hours=6, backup_frequency_hours=24)
    f.recovery(s["san"], restore_hours=12)
    f.needs(s["payroll"], s["erp"])
    f.needs(s["erp"], s["sql"])
    f.needs(s["sql"], s["san"])
    f.needs(s["permits"], s["permit_system"])
    f.needs(s["permit_system"], s["sql"])
    f.needs(s["dispatch"], s["cad"])
    return s
