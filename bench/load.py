"""Many signed-in people at once against the production server: throughput, latency, errors.

Starts `townhall serve --production` (gunicorn) with the given number of workers on the
database in DATABASE_URL (or the embedded SQLite database in TOWNHALL_VAR_DIR), signs in
`--users` people (the demo accounts, several sessions each), and has each of them walk a
realistic mix of pages — lists, records, dependency views, search, dashboards, the API —
with a think time of 0 to 6 seconds between requests, for `--seconds`. Then prints requests
per second, p50/p95/p99 and the errors, overall and per kind of page. It is not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/big .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --users 50 --seconds 120 --workers 5
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000   # a server already running

The requests carry `X-Forwarded-Proto: https`, as a reverse proxy's would (the production
server trusts it from 127.0.0.1), so secure cookies and the sign-in's origin check work as
they do in production. The demo's accounts and password must exist in the database.
"""

import argparse
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "townhall-demo-2026"  # noqa: S105 - the demo accounts' published password
# Who signs in, and how often: mostly IT staff and read-only people, as in a county.
ACCOUNTS = ["staff"] * 5 + ["viewer"] * 2 + ["admin", "liaison", "board"]
GOAL_P95_MS = 300


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: list[str] = field(default_factory=list)

    def add(self, kind: str, ms: float, error: str = "") -> None:
        with self.lock:
            self.times[kind].append(ms)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(error)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of `values` (share 0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Person:
    """One signed-in person's session: cookies kept by hand, since the production server
    marks them secure and this client speaks plain HTTP behind the pretend proxy."""

    def __init__(self, base: str, username: str) -> None:
        self.base = base
        self.username = username
        self.http = requests.Session()
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-Proto": "https", "Origin": base.replace("http:", "https:")}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self._send("GET", path, **kwargs)

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {**self.headers, "Cookie": cookie, **kwargs.pop("headers", {})}
        self.http.cookies.clear()
        response = self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        for c in response.cookies:
            self.cookies[c.name] = c.value
        return response

    def sign_in(self) -> None:
        page = self.get("/accounts/sign-in/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        if not token:
            raise SystemExit(f"no sign-in form at {self.base}/accounts/sign-in/")
        response = self._send(
            "POST",
            "/accounts/sign-in/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": self.username,
                "password": PASSWORD,
                "next": "/",
            },
            headers={"Referer": self.headers["Origin"] + "/accounts/sign-in/"},
        )
        if response.status_code != 302:
            raise SystemExit(f"{self.username} could not sign in ({response.status_code})")


class Mix:
    """The pages people open, with how often: addresses drawn from the estate's own ids
    (read once through the API as the demo IT staff account)."""

    def __init__(self, person: Person, rng: random.Random) -> None:
        def ids(path: str) -> list[int]:
            data = person.get(path + "?page_size=500").json()
            count = data["count"]
            found = [r["id"] for r in data["results"]]
            last = max(1, -(-count // 500))
            for page in rng.sample(range(2, last + 1), min(4, last - 1)):
                more = person.get(f"{path}?page_size=500&page={page}").json()
                found += [r["id"] for r in more["results"]]
            return found

        self.systems = ids("/api/estate/systems/")
        self.components = ids("/api/estate/components/")
        self.services = ids("/api/estate/services/")
        words = ["server", "permit", "911", "payroll", "cisco", "gis", "water", "library"]
        c_pages = -(-person.get("/api/estate/components/?page_size=1").json()["count"] // 25)
        self.kinds: list[tuple[str, int, Any]] = [
            ("home", 4, lambda r: "/"),
            ("systems list", 8, lambda r: f"/estate/systems/?page={r.randint(1, 20)}"),
            ("components list", 8, lambda r: f"/estate/components/?page={r.randint(1, c_pages)}"),
            ("filtered list", 5, lambda r: "/estate/components/?kind=server&sort=-install_date"),
            ("system detail", 10, lambda r: f"/estate/systems/{r.choice(self.systems)}/"),
            ("component detail", 12, lambda r: f"/estate/components/{r.choice(self.components)}/"),
            ("service detail", 5, lambda r: f"/estate/services/{r.choice(self.services)}/"),
            (
                "dependency view",
                8,
                lambda r: f"/estate/systems/{r.choice(self.systems)}/dependencies/",
            ),
            (
                "service dependencies",
                3,
                lambda r: f"/estate/services/{r.choice(self.services)}/dependencies/",
            ),
            ("search", 8, lambda r: f"/search/?q={r.choice(words)}"),
            ("estate dashboard", 3, lambda r: "/estate/dashboard/"),
            ("governance", 2, lambda r: "/governance/"),
            ("cyber health", 2, lambda r: "/cyber/"),
            ("cyber exposure", 3, lambda r: "/cyber/exposure/"),
            ("audit log", 2, lambda r: "/audit/"),
            ("API list", 4, lambda r: f"/api/estate/components/?page={r.randint(1, 200)}"),
            ("API detail", 4, lambda r: f"/api/estate/systems/{r.choice(self.systems)}/"),
        ]

    def pick(self, rng: random.Random, skip: frozenset[str] = frozenset()) -> tuple[str, str]:
        """A page to open, leaving out the kinds in `skip` (those the person's role may not
        open, which a person would not find in their menu)."""
        kinds = [k for k in self.kinds if k[0] not in skip]
        kind, _, make = rng.choices(kinds, weights=[w for _, w, _ in kinds])[0]
        return kind, make(rng)

    def forbidden(self, person: "Person", rng: random.Random) -> frozenset[str]:
        """The kinds of page `person` is refused (403) — asked once, before the clock runs."""
        return frozenset(
            kind for kind, _, make in self.kinds if person.get(make(rng)).status_code == 403
        )


def walk(
    person: Person, mix: Mix, skip: frozenset[str], results: Results, stop: float, seed: int
) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, 6))  # people arrive spread out, not all in one instant
    while time.monotonic() < stop:
        kind, path = mix.pick(rng, skip)
        started = time.perf_counter()
        try:
            response = person.get(path)
            ms = (time.perf_counter() - started) * 1000
            error = "" if response.status_code == 200 else f"{response.status_code} {path}"
        except requests.RequestException as exc:
            ms = (time.perf_counter() - started) * 1000
            error = f"{type(exc).__name__} {path}"
        if time.monotonic() < stop:
            results.add(kind, ms, error)
        time.sleep(rng.uniform(0, 6))


def start_server(workers: int, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TOWNHALL_SSL_REDIRECT": "0",
    }
    command = [
        str(ROOT / ".venv" / "bin" / "townhall"),
        "serve",
        "--production",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(  # noqa: S603 - our own command
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.5)
        if server.poll() is not None:
            raise SystemExit("the server stopped: " + server.stderr.read().decode()[-2000:])
    raise SystemExit("the server did not answer within 60 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers to start")
    parser.add_argument("--url", help="measure a server already running here instead")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    server = None
    base = args.url
    if not base:
        port = free_port()
        server = start_server(args.workers, port)
        base = f"http://127.0.0.1:{port}"
    try:
        run(args, base)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)


def run(args: argparse.Namespace, base: str) -> None:
    rng = random.Random(args.seed)
    first = Person(base, "staff")
    first.sign_in()
    mix = Mix(first, rng)
    people = [Person(base, ACCOUNTS[i % len(ACCOUNTS)]) for i in range(args.users)]
    for person in people:
        person.sign_in()
    # A 403 would be counted as an error; people open only what their menu offers them.
    refused: dict[str, frozenset[str]] = {}
    for person in people:
        if person.username not in refused:
            refused[person.username] = mix.forbidden(person, rng)
            if refused[person.username]:
                print(
                    f"{person.username} may not open: {', '.join(sorted(refused[person.username]))}"
                )
    cores = os.cpu_count()
    where = f"{args.workers} workers" if not args.url else args.url
    print(f"{args.users} signed-in people, {args.seconds} s, think 0-6 s, {where}, {cores} cores")
    results = Results()
    stop = time.monotonic() + args.seconds
    threads = [
        threading.Thread(
            target=walk, args=(p, mix, refused[p.username], results, stop, args.seed * 1000 + i)
        )
        for i, p in enumerate(people)
    ]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    everything = [ms for times in results.times.values() for ms in times]
    errors = sum(results.errors.values())
    print(f"\n{'page':22} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for kind in sorted(results.times, key=lambda k: -len(results.times[k])):
        t = results.times[kind]
        print(
            f"{kind:22} {len(t):8} {statistics.median(t):8.0f} {percentile(t, 0.95):8.0f} "
            f"{percentile(t, 0.99):8.0f} {results.errors[kind]:6}"
        )
    if not everything:
        raise SystemExit("no request finished")
    p95 = percentile(everything, 0.95)
    print(
        f"{'all':22} {len(everything):8} {statistics.median(everything):8.0f} {p95:8.0f} "
        f"{percentile(everything, 0.99):8.0f} {errors:6}"
    )
    print(f"\nthroughput: {len(everything) / elapsed:.1f} requests/s over {elapsed:.0f} s")
    verdict = "met" if p95 <= GOAL_P95_MS and not errors else "missed"
    print(f"goal p95 <= {GOAL_P95_MS} ms and no errors: {verdict}")
    for example in results.examples:
        print(f"  error: {example}")


if __name__ == "__main__":
    sys.exit(main())
