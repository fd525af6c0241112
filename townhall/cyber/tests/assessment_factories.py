"""Small framework trees and assessments for the assessment tests, written through the
write path (see factories.py for single records)."""

import datetime
from typing import Any

from townhall.core import context
from townhall.cyber import models as m
from townhall.cyber import services as cyber
from townhall.cyber.tests import factories as f

# function -> category -> subcategories, like NIST CSF but tiny: 2 functions, 3 categories,
# 6 subcategories.
SMALL = {
    ("GV", "Govern"): {
        ("GV.OC", "Organizational context"): ["GV.OC-01", "GV.OC-02"],
        ("GV.RR", "Roles and responsibilities"): ["GV.RR-01"],
    },
    ("ID", "Identify"): {
        ("ID.AM", "Asset management"): ["ID.AM-01", "ID.AM-02", "ID.AM-03"],
    },
}


def tree(
    fw: m.Framework | None = None,
    spec: dict | None = None,
    key: str = "csf",
    n: int = 1,
) -> tuple[m.Framework, dict[str, m.Requirement]]:
    """A framework with functions, categories and scored subcategories, sort keys in tree
    order; returns it and its requirements by identifier."""
    fw = fw or f.framework(n, key)
    spec = spec or SMALL
    found: dict[str, m.Requirement] = {}
    for fi, ((fid, ftitle), categories) in enumerate(spec.items()):
        fn = f.create(
            m.Requirement,
            framework=fw,
            identifier=fid,
            title=ftitle,
            level="function",
            assessable=False,
            sort_key=f"{fi:02d}",
        )
        found[fid] = fn
        for ci, ((cid, ctitle), leaves) in enumerate(categories.items()):
            cat = f.create(
                m.Requirement,
                framework=fw,
                parent=fn,
                identifier=cid,
                title=ctitle,
                level="category",
                assessable=False,
                sort_key=f"{fi:02d}.{ci:02d}",
            )
            found[cid] = cat
            for li, lid in enumerate(leaves):
                found[lid] = f.create(
                    m.Requirement,
                    framework=fw,
                    parent=cat,
                    identifier=lid,
                    title=f"Subcategory {lid}",
                    description=f"What {lid} asks for.",
                    level="subcategory",
                    assessable=True,
                    sort_key=f"{fi:02d}.{ci:02d}.{li:02d}",
                )
    return fw, found


def wide(functions: int, per_category: int, key: str = "wide") -> dict:
    """A spec of `functions` functions with one category of `per_category` subcategories."""
    return {
        (f"F{i}", f"Function {i}"): {
            (f"F{i}.C", f"Category {i}"): [f"F{i}.C-{j:02d}" for j in range(per_category)]
        }
        for i in range(functions)
    }


def score_all(
    user: Any, assessment: m.Assessment, levels: dict[str, int | None], reqs: dict
) -> None:
    """Save levels by identifier (None: not applicable)."""
    for identifier, level in levels.items():
        cyber.save_score(
            user,
            assessment,
            reqs[identifier],
            level=level,
            not_applicable=level is None,
        )


def evidence(title: str, expires: datetime.date | None, **values: Any) -> m.Evidence:
    values = {"link": f"https://example.org/{title.lower().replace(' ', '-')}", **values}
    return f.create(m.Evidence, title=title, expires=expires, **values)


SYSTEM = context.SYSTEM
