"""Campaigns and their requests join the platform's contract: permissions, audit,
conflicts, API. Both are run by IT: a campaign belongs to no department, and a request is
answered by submitting its analysis, so liaisons change neither."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from townhall.continuity import models as m
from townhall.continuity.tests import factories as f
from townhall.core import context, services
from townhall.core.testing import ResourceContract

DUE = datetime.date(2027, 3, 31)


class TestCampaignContract(ResourceContract):
    model = m.Campaign
    shared = True

    def data(self, departments, n=1):
        return {
            "name": f"Campaign {n}",
            "due_on": DUE,
            "instructions": "Review your recovery times.",
            "departments": [departments["PW"].pk],
        }


class TestCampaignRequestContract(ResourceContract):
    """Requests are made by opening a campaign, not by hand: the form offers only notes,
    so the generic add page and API cannot create one (a campaign and a service are
    required). Changing and deleting follow the contract."""

    model = m.CampaignRequest
    shared = True

    def data(self, departments, n=1):
        campaign = services.create(
            context.SYSTEM, m.Campaign, {"name": f"Campaign {n}", "due_on": DUE}
        )
        svc = f.service(f"Service {n}", departments["PW"])
        return {"campaign": campaign, "service": svc, "department": departments["PW"]}

    def make(self, departments, owner="PW", n=1):
        return services.create(context.SYSTEM, self.model, self.data(departments, n))

    @pytest.mark.django_db
    @pytest.mark.parametrize("role", ["staff", "admin"])
    def test_editors_create_change_delete_with_audit(self, role, users, departments):
        client = Client()
        client.force_login(users[role])
        count = self.model.objects.count()
        response = client.post(self.url("add"), {"notes": "by hand"})
        assert response.status_code == 400
        assert b"campaign" in response.content.lower()
        api = APIClient()
        api.force_authenticate(users[role])
        assert api.post(self.api_url(), {"notes": "by hand"}, format="json").status_code == 400
        assert self.model.objects.count() == count
        obj = self.make(departments, n=8)
        response = client.post(self.url("edit", obj), self.edit_post(obj, departments, notes="x"))
        assert response.status_code == 302
        obj.refresh_from_db()
        assert obj.version == 2 and self.audit_count(obj) == 2
        assert client.post(self.url("delete", obj), {"version": obj.version}).status_code == 302
        assert not self.model.objects.filter(pk=obj.pk).exists()
        assert self.audit_count(obj) == 3

    @pytest.mark.django_db
    def test_liaison_writes_only_own_department(self, users, departments):
        """A liaison changes no request, not even their own department's."""
        liaison = users["liaison"]  # of Public Works, the department of every request here
        client = Client()
        client.force_login(liaison)
        own = self.make(departments, n=1)
        assert client.get(self.url("detail", own)).status_code == 200
        assert client.get(self.url("edit", own)).status_code == 403
        assert (
            client.post(self.url("edit", own), self.edit_post(own, departments, notes="x"))
        ).status_code == 403
        assert client.post(self.url("delete", own), {"version": own.version}).status_code == 403
        api = APIClient()
        api.force_authenticate(liaison)
        assert (
            api.patch(self.api_url(own), {"notes": "x", "version": 1}, format="json").status_code
            == 403
        )
        assert api.delete(self.api_url(own)).status_code == 403
        count = self.model.objects.count()
        post = {"notes": "x", "campaign": own.campaign_id, "service": own.service_id}
        assert client.post(self.url("add"), post).status_code in (400, 403)
        assert self.model.objects.count() == count
        own.refresh_from_db()
        assert own.version == 1
