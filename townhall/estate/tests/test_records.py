"""Every estate record joins the platform's contract: permissions, audit, conflicts, API."""

import datetime

from townhall.core import context, services
from townhall.core.testing import ResourceContract
from townhall.estate import models as m


def _vendor(n: int) -> m.Vendor:
    return services.create(context.SYSTEM, m.Vendor, {"name": f"Vendor for {n}"})


class TestServiceContract(ResourceContract):
    model = m.Service

    def data(self, departments, n=1):
        return {"name": f"Service {n}", "audience": "residents"}


class TestSystemContract(ResourceContract):
    model = m.System

    def data(self, departments, n=1):
        return {
            "name": f"System {n}",
            "hosting": "saas",
            "lifecycle": "active",
            "data_classification": "internal",
            "criticality": 2,
            "end_of_support": datetime.date(2027, 6, 30),
        }

    def invalid(self, departments):
        # A date with "no end date announced", and "dated" without its date.
        return [
            ("support_state", lambda post: {"support_state": "no_end_date"}),
            ("end_of_support", lambda post: {"support_state": "dated", "end_of_support": ""}),
        ]


class TestComponentContract(ResourceContract):
    model = m.Component

    def data(self, departments, n=1):
        return {"name": f"srv-{n:03d}", "kind": "server", "status": "in_service", "quantity": 1}

    def invalid(self, departments):
        return [
            ("end_of_support", lambda post: {"support_state": "dated"}),
            (
                "support_state",
                lambda post: {"support_state": "no_end_date", "end_of_support": "2028-01-31"},
            ),
        ]


class TestVendorContract(ResourceContract):
    model = m.Vendor
    shared = True

    def data(self, departments, n=1):
        return {"name": f"Vendor {n}", "website": "https://vendor.example"}


class TestContractContract(ResourceContract):
    model = m.Contract

    def data(self, departments, n=1):
        return {
            "title": f"Support agreement {n}",
            "vendor": _vendor(n),
            "kind": "support",
            "start": datetime.date(2025, 1, 1),
            "end": datetime.date(2027, 12, 31),
            "notice_days": 90,
        }


class TestPersonContract(ResourceContract):
    model = m.Person

    def data(self, departments, n=1):
        return {"name": f"Person {n}", "email": f"p{n}@county.example"}


class TestLocationContract(ResourceContract):
    model = m.Location

    def data(self, departments, n=1):
        return {"name": f"Site {n}", "kind": "office"}


class TestDependencyContract(ResourceContract):
    model = m.Dependency

    def data(self, departments, n=1):
        service = services.create(
            context.SYSTEM, m.Service, {"name": f"Svc {n}", "owner_department": departments["PW"]}
        )
        system = services.create(
            context.SYSTEM, m.System, {"name": f"Sys {n}", "owner_department": departments["PW"]}
        )
        return {"from_service": service, "to_system": system, "kind": "runs_on"}


class TestRedundancyGroupContract(ResourceContract):
    model = m.RedundancyGroup

    def data(self, departments, n=1):
        return {
            "name": f"Web pair {n}",
            "components": [
                services.create(
                    context.SYSTEM,
                    m.Component,
                    {"name": f"web-{n}-{side}", "owner_department": departments["PW"]},
                )
                for side in ("a", "b")
            ],
        }
