"""Public pages served by the production server: requests per second, against the health
check measured in the same run as a baseline. Goal: 200 a second or more.

Makes a fresh embedded database in a temporary directory (or uses TOWNHALL_VAR_DIR /
DATABASE_URL with `--keep-data`), publishes `--records` uses of artificial intelligence
with every field, starts `townhall serve --production` (gunicorn) and has `--clients`
threads ask for the same address as fast as it answers, for `--seconds` each: the health
check, the public list in English and in Spanish, a record page, the front page, and a
search, which is never kept. Each
answer is checked (200, and the page's words). The pages are served as kept
(`townhall/public/page_cache.py`) after the first request; the first of each is not timed.
It is not a test.

    .venv/bin/python bench/public_pages.py
    .venv/bin/python bench/public_pages.py --seconds 20 --clients 16 --workers 5
"""

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOWNHALL = str(ROOT / ".venv" / "bin" / "townhall")
GOAL = 200  # requests per second for a public page

MAKE = """
import datetime
from townhall.core import context, services
from townhall.core.context import SYSTEM
from townhall.estate.models import Vendor
from townhall.org.models import Department
from townhall.public import kinds
from townhall.public.tests import samples
from townhall.registers.models import AIUseCase

with context.acting("system"):
    department = Department.objects.filter(code="BPW").first() or services.create(
        SYSTEM, Department, {{"name": "Bench Public Works", "code": "BPW"}}
    )
    vendor = Vendor.objects.filter(name="Bench Vendor").first() or services.create(
        SYSTEM, Vendor, {{"name": "Bench Vendor"}}
    )
    for n in range(AIUseCase.objects.filter(owner_department=department).count(), {records}):
        services.create(SYSTEM, AIUseCase, {{
            "name": f"Use {{n:03}}: reading licence plates",
            "owner_department": department,
            "topic_area": "law_justice",
            "purpose": "Finds stolen vehicles. " * 20,
            "outputs": "Alerts to an officer.",
            "stage": "deployed",
            "implemented_on": datetime.date(2024, 1, 1),
            "high_impact": "no",
            "development": "contracted",
            "vendor": vendor,
            "oversight_notes": "An officer checks every alert before acting.",
        }})
samples.publish("ai_use_case", list(kinds.get("ai_use_case").field_names))
print(AIUseCase.objects.filter(owner_department=department).order_by("pk")[0].pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, language: str = "en") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": language})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def measure(
    port: int, path: str, language: str, expect: bytes, clients: int, seconds: float
) -> tuple[float, int, int]:
    """Requests per second answered 200 with `expect` in the body, the failures, and the
    size of the page."""
    status, body = get(port, path, language)  # the first: draws and keeps the page
    if status != 200 or expect not in body:
        raise SystemExit(f"{path} ({language}) answered {status} without {expect!r}")
    counts = [0] * clients
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        while time.monotonic() < stop:
            try:
                status, body = get(port, path, language)
                ok = status == 200 and expect in body
            except OSError:
                ok = False
            if ok:
                counts[i] += 1
            else:
                failures[i] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return sum(counts) / elapsed, sum(failures), len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    parser.add_argument("--records", type=int, default=50)
    parser.add_argument("--keep-data", action="store_true", help="use the database as set")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="townhall-bench-")
    env = {
        **os.environ,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TOWNHALL_SSL_REDIRECT": "0",
    }
    if not args.keep_data:
        env["TOWNHALL_VAR_DIR"] = scratch.name
        env.pop("DATABASE_URL", None)
    print("setting up: a database with", args.records, "published records …", flush=True)
    subprocess.run([TOWNHALL, "migrate", "--noinput", "-v", "0"], env=env, check=True)  # noqa: S603
    made = subprocess.run(  # noqa: S603 - our own command
        [TOWNHALL, "shell", "-c", MAKE.format(records=args.records)],
        env=env,
        capture_output=True,
        text=True,
    )
    if made.returncode:
        raise SystemExit("could not make the records:\n" + made.stderr[-3000:])
    first = int(made.stdout.strip().splitlines()[-1])

    port = free_port()
    command = [TOWNHALL, "serve", "--production", "--port", str(port)]
    server = subprocess.Popen(  # noqa: S603 - our own command
        [*command, "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.3)

        cases = [
            ("health check (baseline)", "/healthz", "en", b"ok"),
            ("public list, English", "/public/ai-use-cases/", "en", b"Use 049"),
            ("public list, Spanish", "/public/ai-use-cases/", "es", b"Ir al contenido"),
            ("public record", f"/public/ai-use-cases/{first}/", "en", b"Finds stolen"),
            ("public front page", "/public/", "es", b"Usos de la inteligencia"),
            # Not kept (any words may be asked): the cost of drawing a public page afresh.
            ("public search (not kept)", "/public/search/?q=plates", "en", b"Use 000"),
        ]
        print(
            f"gunicorn, {args.workers} workers; {args.clients} client threads; "
            f"{args.seconds:g} s each; goal {GOAL}/s"
        )
        measure(port, "/healthz", "en", b"ok", args.clients, 2)  # every worker warmed up
        baseline = 0.0
        for label, path, language, expect in cases:
            rate, failed, size = measure(port, path, language, expect, args.clients, args.seconds)
            baseline = baseline or rate
            kept = path.startswith("/public/") and "search" not in path
            verdict = (" ok" if rate >= GOAL else " UNDER GOAL") if kept else ""
            print(
                f"  {label:26} {rate:7.0f}/s  {rate / baseline:4.0%} of baseline  "
                f"{size / 1024:5.1f} KB  {failed} failed{verdict}",
                flush=True,
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        scratch.cleanup()


if __name__ == "__main__":
    sys.exit(main())
