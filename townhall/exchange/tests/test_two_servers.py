"""Hub and member as two real servers: the hub a `townhall exchange serve` process on its own
SQLite file, the member this test's Townhall behind the live server, and every call between
them real HTTP through `client.py`'s own transport. Four more governments join and submit
over the wire with their own keys, so a cohort of five is released."""

import datetime
import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from townhall.conftest import copy_migrated
from townhall.core import context, services
from townhall.estate.models import Component
from townhall.exchange import client, member, metrics, protocol
from townhall.exchange.models import (
    HubJoinCode,
    JurisdictionProfile,
    MetricSubmission,
    PeerStatistic,
)
from townhall.jobs.models import Job

YEAR = datetime.date.today().year
VERSION = metrics.METRIC_SET_VERSION
# The four other governments' values: two decimals, so no released figure (rounded to one
# decimal, each a blend of three ranks) can be one of them.
PEERS = [
    {"it_spend_pct_operating": v, "components_past_support_pct": w}
    for v, w in ((1.37, 16.93), (2.41, 33.71), (4.29, 47.29), (5.83, 58.17))
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _hub_env(folder) -> dict[str, str]:
    env = {
        **os.environ,
        "TOWNHALL_VAR_DIR": str(folder),
        "SECRET_KEY": "h" * 60,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "TOWNHALL_EXCHANGE_HUB": "true",
        "TOWNHALL_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _http(method: str, url: str, body: bytes = b"", headers: dict | None = None):
    request = urllib.request.Request(url, data=body or None, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 - our servers
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _signed(hub: str, key: str, member_id: str, method: str, path: str, doc=None):
    body = protocol.canonical(doc) if doc is not None else b""
    headers = {"Content-Type": "application/json"}
    headers |= protocol.request_headers(key, member_id, method, path, body, time.time())
    return _http(method, hub + path, body, headers)


def _wait_for(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            _http("GET", url)
            return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise
            time.sleep(0.1)


def test_a_member_and_four_peers_share_through_a_real_hub(
    tmp_path, migrated_sqlite, live_server, client_for, users
):
    copy_migrated(migrated_sqlite, tmp_path)
    env = _hub_env(tmp_path)
    port = _free_port()
    hub = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "townhall.cli", "exchange"]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Five join codes from the command, made while the hub starts and the member fills
        # in its profile.
        making = subprocess.Popen(
            [*command, "join-code", "--days", "3", "--count", "5"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        admin = client_for("admin")
        answer = admin.post(
            "/exchange/profile/",
            {
                "name": "Juniper County",
                "kind": "county",
                "population": "150123",
                "region": "south",
                "operating_budget": "400000000",
                "employees": "2000",
                "it_operating_budget": "12000000",
            },
        )
        assert answer.status_code == 302
        with context.acting("cli"):
            for name, ends, qty in (("Old switch", "2020-01-01", 1), ("New server", None, 3)):
                values = {"name": name, "end_of_support": ends, "quantity": qty}
                services.create(context.SYSTEM, Component, values)
        out, errors = making.communicate(timeout=120)
        assert making.returncode == 0, errors
        codes = out.split()
        assert len(codes) == 5 and len(set(codes)) == 5
        _wait_for(f"{hub}/hub/privacy/", server)

        # The member joins through its own page; its job calls the hub.
        admin.post("/exchange/profile/", {"action": "join", "hub_url": hub, "join_code": codes[0]})
        joined = Job.objects.get(kind=member.JOIN)
        assert joined.status == Job.Status.DONE, joined.message
        profile = JurisdictionProfile.objects.get()
        assert profile.member_id and client.private_key(profile)
        # The same code again is refused by the hub, over the wire.
        admin.post("/exchange/profile/", {"action": "join", "hub_url": hub, "join_code": codes[0]})
        again = Job.objects.filter(kind=member.JOIN).latest("pk")
        assert again.status == Job.Status.FAILED and "unknown, used or expired" in again.message

        shown = admin.get(f"/exchange/metrics/?year={YEAR}").context["shown"]
        ours = json.loads(shown)
        assert ours["it_spend_pct_operating"] == 3.0
        assert ours["components_past_support_pct"] == 25.0
        admin.post("/exchange/metrics/", {"year": str(YEAR), "shown": shown, "action": "submit"})
        assert MetricSubmission.objects.get().hub_revision == 1

        # Four other governments, each with its own key, over plain HTTP.
        bands = member.bands_of(profile)
        keys = []
        for n, (code, values) in enumerate(zip(codes[1:], PEERS, strict=True)):
            key = protocol.new_private_key()
            doc = {"join_code": code, "name": f"Peer County {n}", "profile": bands}
            doc["public_key"] = protocol.public_key(key)
            status, body = _http("POST", f"{hub}/hub/api/join/", protocol.canonical(doc))
            assert status == 201, body
            member_id = json.loads(body)["member_id"]
            payload = {"year": YEAR, "metric_set_version": VERSION, "profile": bands}
            payload["values"] = values
            sent = {"payload": payload, "signature": protocol.sign_document(key, payload)}
            status, body = _signed(hub, key, member_id, "POST", "/hub/api/submissions/", sent)
            assert (status, json.loads(body)) == (200, {"revision": 1, "status": "accepted"})
            keys.append((key, member_id))

        # A key the hub does not know is refused, even with a real member's id.
        stranger = protocol.new_private_key()
        path = f"/hub/api/statistics/?year={YEAR}&version={VERSION}"
        status, body = _signed(hub, stranger, keys[0][1], "GET", path)
        assert status == 401 and json.loads(body)["detail"]
        status, _ = _signed(hub, stranger, "nobody", "GET", path)
        assert status == 401

        # The member fetches the statistics (job) and compares itself on its page.
        admin.post("/exchange/metrics/", {"year": str(YEAR), "action": "fetch"})
        fetched = Job.objects.get(kind=member.FETCH)
        assert fetched.status == Job.Status.DONE, fetched.message
        kept = {(s.metric, s.cohort): s for s in PeerStatistic.objects.all()}
        assert kept[("it_spend_pct_operating", "all")].members == 5
        answer = client.call(profile, "GET", protocol.STATISTICS, query=path.split("?")[1])
        assert {row["members"] for row in answer["statistics"]} == {5}

        session = admin.cookies["sessionid"].value
        status, page = _http(
            "GET",
            f"{live_server.url}/exchange/peers/?year={YEAR}",
            headers={"Cookie": f"sessionid={session}"},
        )
        page = page.decode()
        assert status == 200 and "the median of 5 peers" in page
        assert "In the middle half" in page

        received = json.dumps(answer) + page + fetched.message + joined.message
        received += json.dumps([[s.q1, s.median, s.q3] for s in kept.values()])
        for values in PEERS:
            for value in values.values():
                assert str(value) not in received
        assert "Peer County" not in received
        assert not any(member_id in received for _, member_id in keys)
    finally:
        server.terminate()
        _, hub_log = server.communicate(timeout=30)
    assert b"Traceback" not in hub_log, hub_log.decode()[-2000:]


@pytest.mark.django_db
def test_join_codes_from_the_command_expire_when_told_and_are_kept_hashed():
    out = io.StringIO()
    call_command("exchange", "join-code", "--days", "3", "--count", "2", stdout=out)
    codes = out.getvalue().split()
    kept = HubJoinCode.objects.order_by("expires_at")
    assert len(codes) == 2 and kept.count() == 2
    assert not any(code in str(row.code_hash) for code in codes for row in kept)
    left = kept[0].expires_at - timezone.now()
    assert datetime.timedelta(days=2, hours=23) < left <= datetime.timedelta(days=3)
    for wrong in (["--days", "0"], ["--days", "366"], ["--count", "0"]):
        with pytest.raises(CommandError, match=wrong[0]):
            call_command("exchange", "join-code", *wrong, stdout=io.StringIO())
    assert HubJoinCode.objects.count() == 2
