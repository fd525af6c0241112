"""`townhall worker`: the process that runs queued jobs, and the supervisor that keeps it up.

The worker is django_tasks_db's, made to outlive the database: claiming a task, marking
it done and writing the heartbeat each catch a database error, log it, wait a little and
go on. (The library's loop lets an error at the start of its claiming transaction, or a
result it cannot mark, end the process: on SQLite that is what a long import or a restore
holding the write lock did.) A thread writes the heartbeat every few seconds and looks for
jobs whose worker stopped (`runner.recover`), also once at start.

The supervisor runs the worker as a child process and starts it again whenever it exits,
waiting a little longer after each quick failure (1 s, 2 s, 4 s … up to 30 s).
"""

import logging
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as QueueWorker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from townhall.jobs import runner

logger = logging.getLogger("townhall.worker")

RECOVER_EVERY = 6  # heartbeats between two looks for jobs whose worker stopped
LONGEST_PAUSE = 30.0


class Worker(QueueWorker):
    """Runs queued tasks one at a time; nothing the database does ends it."""

    def __init__(self, *, interval: float = 1.0, batch: bool = False, **options: Any) -> None:
        super().__init__(
            queue_names=options.get("queue_names", ["default"]),
            interval=interval,
            batch=batch,
            backend_name=options.get("backend_name", "default"),
            startup_delay=False,
            max_tasks=options.get("max_tasks"),
            worker_id=options.get("worker_id") or get_random_string(32),
            excluded_queue_names=[],
        )
        self.started_at = timezone.now()
        self.stopped = threading.Event()
        self.errors = 0

    # --- the loop ---------------------------------------------------------------------

    def run(self) -> None:
        runner.current_worker = self.worker_id
        logger.info("Worker %s started", self.worker_id)
        beating = threading.Thread(target=self._beating, name="heartbeat", daemon=True)
        try:
            # Stopping may come at any moment from here on: the row is removed whatever.
            self._beat(recover=True)
            beating.start()
            self._loop()
        finally:
            self.stopped.set()
            if beating.is_alive():
                beating.join(timeout=runner.BEAT_SECONDS + 1)
            self._sign_off()
            logger.info("Worker %s stopped", self.worker_id)

    def _loop(self) -> None:
        while self.running:
            try:
                result = self._claim()
            except DatabaseError as exc:
                self._trouble("claiming the next job", exc)
                continue
            self.errors = 0
            if result is not None:
                self.run_task(result)
            elif self.batch:
                logger.info("No more jobs: worker %s exits.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                return
            _fresh_connection()
            if self.running and result is None:
                time.sleep(self.interval)

    def _claim(self) -> DBTaskResult | None:
        _fresh_connection()
        tasks = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        with exclusive_transaction(tasks.db):
            result = tasks.get_locked()
            if result is not None:
                result.claim(self.worker_id)
        return result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """The job ends itself (the runner never raises); only marking the queue's row done
        can fail, and that is tried again here, never the job itself."""
        try:
            super().run_task(db_task_result)
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - logged; the next job still runs
            logger.warning("task %s: recording its end failed (%s)", db_task_result.pk, exc)
        for attempt in range(1, runner.ATTEMPTS + 1):
            self._rest(attempt)
            try:
                DBTaskResult.objects.filter(
                    pk=db_task_result.pk, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now())
                return
            except DatabaseError as exc:
                logger.warning("task %s: recording its end failed (%s)", db_task_result.pk, exc)
        logger.error(
            "task %s: its end could not be recorded; the job's own row says how it ended",
            db_task_result.pk,
        )

    def _trouble(self, doing: str, exc: BaseException) -> None:
        self.errors += 1
        logger.warning("Worker %s: %s failed (%s); trying again", self.worker_id, doing, exc)
        self._rest(self.errors)

    def _rest(self, attempt: int) -> None:
        if not connection.in_atomic_block:
            try:
                connection.close()
            except DatabaseError:
                pass
        deadline = time.monotonic() + min(LONGEST_PAUSE, 0.5 * 2 ** min(attempt, 6))
        while self.running and time.monotonic() < deadline:
            time.sleep(0.1)

    # --- the heartbeat -----------------------------------------------------------------

    def _beating(self) -> None:
        count = 0
        while not self.stopped.wait(runner.BEAT_SECONDS):
            count += 1
            self._beat(recover=count % RECOVER_EVERY == 0)
        connection.close()

    def _beat(self, *, recover: bool) -> None:
        try:
            _fresh_connection()
            runner.beat(self.worker_id, self.started_at)
            if recover:
                for job in runner.recover():
                    logger.warning("Job %s: %s", job.pk, job.message)
        except Exception as exc:  # noqa: BLE001 - a missed beat is written next time
            logger.warning("Worker %s: heartbeat failed (%s)", self.worker_id, exc)

    def _sign_off(self) -> None:
        try:
            runner.signed_off(self.worker_id)
        except Exception as exc:  # noqa: BLE001 - its row goes stale and is removed later
            logger.warning("Worker %s: could not sign off (%s)", self.worker_id, exc)


def _fresh_connection() -> None:
    """Drop a connection that is broken or past its age, as Django does between requests
    (never inside a transaction, such as a test's)."""
    if not connection.in_atomic_block:
        close_old_connections()


# --- the supervisor ------------------------------------------------------------------------


class Supervisor:
    """Runs `command` and runs it again whenever it exits, until told to stop."""

    def __init__(self, command: list[str], *, quick: float = 60.0) -> None:
        self.command = command
        self.quick = quick  # a child that ran less than this failed quickly
        self.child: subprocess.Popen[bytes] | None = None
        self.stopping = False
        self.starts = 0

    def stop(self, signum: int, frame: Any = None) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signum)

    def run(self) -> int:
        for name in ("SIGINT", "SIGTERM"):
            signal.signal(getattr(signal, name), self.stop)
        pause = 1.0
        code = 0
        while not self.stopping:
            began = time.monotonic()
            self.starts += 1
            # In its own session: a signal to the supervisor's group (Ctrl-C, `kill 0`)
            # reaches the worker once, forwarded, so it may finish the job it runs.
            self.child = subprocess.Popen(self.command, start_new_session=True)  # noqa: S603
            code = self.child.wait()
            if self.stopping:
                break
            pause = 1.0 if time.monotonic() - began > self.quick else min(pause * 2, 30.0)
            logger.warning(
                "The worker stopped (exit code %s); starting it again in %.0f s.", code, pause
            )
            deadline = time.monotonic() + pause
            while not self.stopping and time.monotonic() < deadline:
                time.sleep(0.1)
        return code


def child_command(interval: float) -> list[str]:
    return [
        sys.executable,
        "-m",
        "townhall.cli",
        "worker",
        "--no-supervise",
        f"--interval={interval}",
    ]
