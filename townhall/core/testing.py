"""A generic test case every registered record joins with a near-empty subclass.

It proves, for pages and API alike, the rules every record follows: anonymous people are
sent to sign in (401 on the API), viewers and board members read but cannot write, a
department liaison writes only their own department's records and cannot hand one to
another department, IT staff and administrators can do everything, and every change
leaves an audit entry.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.forms.utils import ErrorDict
from django.http import HttpResponseBase, StreamingHttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from townhall.audit.models import AuditEntry
from townhall.core import context, registry, services
from townhall.core.forms import edited_fields
from townhall.core.models import TrackedModel


class ResourceContract:
    """Subclass and set `model`; override `data` (form/API values) and `make`."""

    model: type[TrackedModel]  # set by each subclass
    # Does the record have an owner department other than itself?
    owned: bool = True
    # Shared records (vendors) belong to no department: liaisons change none of them.
    shared: bool = False
    # Private records (cyber): a liaison does not even see other departments' rows, so
    # asking for one answers 404 rather than 403.
    private: bool = False
    # Who reads the record and who keeps it (personnel records: administrators and IT
    # managers only, `permissions.PersonnelRows`). Role names as in the `users` fixture.
    readers: tuple[str, ...] = ("admin", "manager", "staff", "liaison", "board", "viewer")
    editors: tuple[str, ...] = ("staff", "admin")
    api_format: str = "json"

    # --- what a subclass provides -------------------------------------------------------
    def data(self, departments: dict, n: int = 1) -> dict[str, Any]:
        raise NotImplementedError

    def make(self, departments: dict, owner: str = "PW", n: int = 1) -> Any:
        values = self.data(departments, n)
        if self.owned and not self.shared:
            values["owner_department"] = departments[owner]
        return services.create(context.SYSTEM, self.model, self._model_values(values))

    def private_rows(self, departments: dict, n: int = 1) -> list[Any]:
        """Rows some role may not see, for the walk of every door in
        core/tests/test_private_rows.py: by default one row of each department."""
        return [self.make(departments, "PW", n=n), self.make(departments, "FIN", n=n + 1)]

    def invalid(self, departments: dict) -> list[tuple[str, Any]]:
        """The record's own rules, as (field refused, function of a valid post returning the
        values that break the rule): core/tests/test_same_rules.py sends each through the
        page form and the API and expects both to refuse it on that field."""
        return []

    def changed(self, departments: dict) -> dict[str, Any]:
        """One field change that any role allowed to edit may make."""
        return {"notes": "Changed in a test"}

    # --- helpers ------------------------------------------------------------------------
    @property
    def resource(self) -> registry.Resource:
        resource = registry.for_model(self.model)
        if resource is None:
            raise LookupError(f"{self.model.__name__} is not registered as a resource.")
        return resource

    def count(self) -> int:
        return self.model._default_manager.count()

    def exists(self, pk: Any) -> bool:
        return self.model._default_manager.filter(pk=pk).exists()

    def _model_values(self, values: dict) -> dict:
        return {k: v for k, v in values.items() if not k.startswith("_")}

    def url(self, action: str, obj: Any = None) -> str:
        args = [obj.pk] if obj is not None else []
        return reverse(self.resource.url_name(action), args=args)

    def api_url(self, obj: Any = None) -> str:
        base = f"/api/{self.resource.app_label}/{self.resource.url_prefix}/"
        return f"{base}{obj.pk}/" if obj is not None else base

    def form_post(self, departments: dict, owner: str = "PW", n: int = 2, **extra: Any) -> dict:
        values = self.data(departments, n)
        if self.owned and not self.shared:
            values["owner_department"] = departments[owner]
        post = {}
        for key, value in {**values, **extra}.items():
            if hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, list):  # many-to-many links: their ids
                value = [v.pk if hasattr(v, "pk") else v for v in value]
            post[key] = "" if value is None else value
        return post

    def api_post(self, departments: dict, owner: str = "PW", n: int = 3) -> dict:
        return self.form_post(departments, owner=owner, n=n)

    def edit_post(self, obj: Any, departments: dict, **changes: Any) -> dict:
        form = self.resource.form(instance=obj)
        post = {}
        for name in edited_fields(form):
            value = form.initial.get(name)
            if isinstance(value, list):
                value = [v.pk if hasattr(v, "pk") else v for v in value]
            if name in ("file",):
                continue
            post[name] = "" if value is None else value
        post.update({k: (v.pk if hasattr(v, "pk") else v) for k, v in changes.items()})
        post["version"] = obj.version
        return post

    def audit_count(self, obj: Any) -> int:
        ct = ContentType.objects.get_for_model(self.model)
        return AuditEntry.objects.filter(content_type=ct, object_id=str(obj.pk)).count()

    def api(self, user: Any = None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    # --- the contract -------------------------------------------------------------------
    @pytest.mark.django_db
    def test_anonymous_is_sent_to_sign_in(self, departments: dict) -> None:
        obj = self.make(departments)
        client = Client()
        for url in (
            self.url("list"),
            self.url("detail", obj),
            self.url("add"),
            self.url("edit", obj),
            self.url("delete", obj),
            self.url("history", obj),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert reverse("accounts:login") in response["Location"]
        assert client.post(self.url("add"), self.form_post(departments)).status_code == 302
        api = self.api()
        assert api.get(self.api_url()).status_code == 401
        assert api.get(self.api_url(obj)).status_code == 401
        assert api.post(self.api_url(), {}, format="json").status_code == 401
        assert api.delete(self.api_url(obj)).status_code == 401
        assert self.exists(obj.pk)

    @pytest.mark.django_db
    def test_only_its_readers_find_it(self, users: dict, departments: dict) -> None:
        """Every role reads the record, or finds nothing of it at any door."""
        obj = self.make(departments)
        for role, user in users.items():
            client = Client()
            client.force_login(user)
            api = self.api(user)
            if role in self.readers:
                if self.private and role == "liaison":
                    continue  # their own department's rows only: the liaison's own test
                assert client.get(self.url("detail", obj)).status_code == 200, role
                assert api.get(self.api_url(obj)).status_code == 200, role
                continue
            listed = client.get(self.url("list"))
            assert listed.status_code in (200, 403), role
            assert self.url("detail", obj).encode() not in listed.content, role
            assert client.get(self.url("detail", obj)).status_code == 404, role
            assert client.get(self.url("history", obj)).status_code == 404, role
            export = client.get(self.url("list") + "?export=csv")
            if isinstance(export, StreamingHttpResponse):
                body = b"".join(export.streaming_content).decode("utf-8-sig").strip()
                assert "\n" not in body, role  # the header alone
            assert api.get(self.api_url()).json()["results"] == [], role
            assert api.get(self.api_url(obj)).status_code == 404, role
            assert client.get(self.url("add")).status_code == 403, role
            assert client.post(self.url("add"), self.form_post(departments)).status_code == 403
            reply = api.post(self.api_url(), self.api_post(departments), format=self.api_format)
            assert reply.status_code == 403, role

    @pytest.mark.django_db
    @pytest.mark.parametrize("role", ["viewer", "board"])
    def test_read_only_roles_read_but_cannot_write(
        self, role: str, users: dict, departments: dict
    ) -> None:
        if role not in self.readers:
            return  # they find nothing of it: test_only_its_readers_find_it
        obj = self.make(departments)
        before = self.count()
        client = Client()
        client.force_login(users[role])
        assert client.get(self.url("list")).status_code == 200
        detail = client.get(self.url("detail", obj))
        assert detail.status_code == 200
        assert self.url("edit", obj).encode() not in detail.content
        assert client.get(self.url("history", obj)).status_code == 200
        assert client.get(self.url("add")).status_code == 403
        assert client.get(self.url("edit", obj)).status_code == 403
        assert client.post(self.url("add"), self.form_post(departments)).status_code == 403
        assert (
            client.post(
                self.url("edit", obj), self.edit_post(obj, departments, **self.changed(departments))
            ).status_code
            == 403
        )
        assert client.post(self.url("delete", obj), {"version": obj.version}).status_code == 403
        assert (
            client.post(self.url("bulk_delete"), {"pk": [obj.pk], "confirm": "1"}).status_code
            == 403
        )
        api = self.api(users[role])
        assert api.get(self.api_url()).status_code == 200
        assert api.get(self.api_url(obj)).status_code == 200
        assert (
            api.post(self.api_url(), self.api_post(departments), format=self.api_format).status_code
            == 403
        )
        assert (
            api.patch(
                self.api_url(obj), {"notes": "x", "version": obj.version}, format="json"
            ).status_code
            == 403
        )
        assert api.delete(self.api_url(obj)).status_code == 403
        assert self.count() == before
        obj.refresh_from_db()
        assert obj.version == 1

    @pytest.mark.django_db
    def test_liaison_writes_only_own_department(self, users: dict, departments: dict) -> None:
        liaison = users["liaison"]  # of Public Works (PW)
        client = Client()
        client.force_login(liaison)
        api = self.api(liaison)
        refused = 404 if self.private else 403
        if self.shared:
            other = self.make(departments, n=2)
            assert client.get(self.url("add")).status_code == 403
            assert client.get(self.url("edit", other)).status_code == refused
            assert (
                api.patch(
                    self.api_url(other), {"notes": "x", "version": 1}, format="json"
                ).status_code
                == refused
            )
            return
        if self.owned:
            own, other = self.make(departments, "PW", n=1), self.make(departments, "FIN", n=2)
        else:  # the department record itself
            own, other = departments["PW"], departments["FIN"]
        # Own department's record: may edit.
        response = client.post(
            self.url("edit", own), self.edit_post(own, departments, **self.changed(departments))
        )
        assert response.status_code == 302, _form_errors(response)
        own.refresh_from_db()
        reply = api.patch(
            self.api_url(own), {"notes": "via API", "version": own.version}, format="json"
        )
        assert reply.status_code == 200, reply.content
        # Another department's record: may read (unless private), not change or delete.
        assert client.get(self.url("detail", other)).status_code == (
            refused if self.private else 200
        )
        assert client.get(self.url("edit", other)).status_code == refused
        assert (
            client.post(
                self.url("edit", other),
                self.edit_post(other, departments, **self.changed(departments)),
            ).status_code
            == refused
        )
        assert (
            client.post(self.url("delete", other), {"version": other.version}).status_code
            == refused
        )
        assert (
            api.patch(
                self.api_url(other), {"notes": "x", "version": other.version}, format="json"
            ).status_code
            == refused
        )
        assert api.delete(self.api_url(other)).status_code == refused
        other.refresh_from_db()
        assert other.version == 1
        if not self.owned:
            assert client.get(self.url("add")).status_code == 403
            return
        # Cannot move own record to another department, by page or API.
        own.refresh_from_db()
        response = client.post(
            self.url("edit", own),
            self.edit_post(own, departments, owner_department=departments["FIN"]),
        )
        assert response.status_code == 400
        reply = api.patch(
            self.api_url(own),
            {"owner_department": departments["FIN"].pk, "version": own.version},
            format="json",
        )
        assert reply.status_code == 403
        own.refresh_from_db()
        assert own.owner_department == departments["PW"]
        # Creates only in own department.
        count = self.count()
        assert (
            client.post(self.url("add"), self.form_post(departments, owner="FIN", n=5)).status_code
            == 400
        )
        assert (
            api.post(
                self.api_url(), self.api_post(departments, owner="FIN", n=6), format=self.api_format
            ).status_code
            == 403
        )
        assert self.count() == count
        assert (
            client.post(self.url("add"), self.form_post(departments, owner="PW", n=7)).status_code
            == 302
        )
        assert self.count() == count + 1

    @pytest.mark.django_db
    @pytest.mark.parametrize("editor", [0, 1])
    def test_editors_create_change_delete_with_audit(
        self, editor: int, users: dict, departments: dict
    ) -> None:
        role = self.editors[editor]
        client = Client()
        client.force_login(users[role])
        response = client.post(self.url("add"), self.form_post(departments, n=8))
        assert response.status_code == 302, response.context and response.context["form"].errors
        obj = self.model._default_manager.order_by("-pk").first()
        assert obj is not None
        assert self.audit_count(obj) == 1
        response = client.post(
            self.url("edit", obj), self.edit_post(obj, departments, **self.changed(departments))
        )
        assert response.status_code == 302, response.context and response.context["form"].errors
        obj.refresh_from_db()
        assert obj.version == 2
        assert self.audit_count(obj) == 2
        entry = AuditEntry.objects.filter(object_id=str(obj.pk)).first()
        assert entry is not None
        assert entry.action == "update" and entry.actor == users[role] and entry.via == "web"
        assert client.post(self.url("delete", obj), {"version": obj.version}).status_code == 302
        assert not self.exists(obj.pk)
        assert self.audit_count(obj) == 3
        # The API does the same through the same path.
        api = self.api(users[role])
        reply = api.post(self.api_url(), self.api_post(departments, n=9), format=self.api_format)
        assert reply.status_code == 201, reply.content
        created = self.model._default_manager.get(pk=reply.json()["id"])
        reply = api.patch(
            self.api_url(created), {"notes": "API change", "version": 1}, format="json"
        )
        assert reply.status_code == 200, reply.content
        assert reply.json()["version"] == 2
        assert api.delete(self.api_url(created)).status_code == 204
        assert [
            e.via
            for e in AuditEntry.objects.filter(
                object_id=str(created.pk),
                content_type=ContentType.objects.get_for_model(self.model),
            )
        ] == ["api"] * 3

    @pytest.mark.django_db
    def test_stale_version_is_a_conflict(self, users: dict, departments: dict) -> None:
        obj = self.make(departments)
        stale = self.edit_post(obj, departments, notes="second writer")
        services.update(users[self.editors[0]], obj, {"notes": "first writer"}, version=1)
        client = Client()
        client.force_login(users["admin"])
        response = client.post(self.url("edit", obj), stale)
        assert response.status_code == 409
        assert b"while you were editing" in response.content
        assert b"first writer" in response.content
        api = self.api(users["admin"])
        reply = api.patch(self.api_url(obj), {"notes": "api writer", "version": 1}, format="json")
        assert reply.status_code == 409
        assert reply.json()["changes"]["notes"]["now"] == "first writer"
        obj.refresh_from_db()
        assert obj.notes == "first writer" and obj.version == 2

    @pytest.mark.django_db
    def test_api_bad_input_is_json_400(self, users: dict, departments: dict) -> None:
        api = self.api(users[self.editors[0]])
        bodies: list[dict[str, str] | list[str]] = [{}, {"version": "abc"}, []]
        for body in bodies:
            response = api.post(self.api_url(), body, format="json")
            assert response.status_code == 400, (body, response.content)
            assert response["Content-Type"].startswith("application/json")
        obj = self.make(departments)
        response = api.patch(self.api_url(obj), {"notes": "no version"}, format="json")
        assert response.status_code == 400
        assert "version" in response.json()

    @pytest.mark.django_db
    def test_list_queries_do_not_grow_with_rows(self, users: dict, departments: dict) -> None:
        client = Client()
        # A liaison sees no private rows of other departments: IT staff then, to count rows.
        reader = "staff" if self.private else "liaison"
        client.force_login(users[reader if reader in self.readers else self.editors[0]])

        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(self.url("list") + "?per_page=100").status_code == 200
            return len(ctx.captured_queries)

        for n in range(10):
            self.make(departments, n=1000 + n)
        ten = queries()
        for n in range(90):
            self.make(departments, n=2000 + n)
        assert self.count() >= 100
        assert queries() == ten  # 10 rows and 100 rows on one page cost the same

    @pytest.mark.django_db
    def test_export_holds_exactly_the_filtered_rows(self, users: dict, departments: dict) -> None:
        for n in range(3):
            self.make(departments, n=300 + n)
        client = Client()
        client.force_login(users["viewer" if "viewer" in self.readers else self.editors[0]])
        visible = self.count()
        export = client.get(self.url("list") + "?export=csv")
        assert isinstance(export, StreamingHttpResponse)
        body = b"".join(export.streaming_content)
        assert body.decode("utf-8-sig").strip().count("\n") == visible  # header + rows
        response = client.get(self.url("list") + "?export=xlsx&q=zzz-no-match")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def _form_errors(response: HttpResponseBase) -> ErrorDict | None:
    """The page form's errors, for the message of a failed assertion."""
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return form.errors if form is not None else None
