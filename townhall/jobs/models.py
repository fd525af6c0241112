"""Long work that runs in the background, with progress a person can watch."""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from townhall.core import permissions


class JobQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = "view") -> "JobQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if permissions.is_admin(user):
            return self
        return self.filter(created_by=user)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50)
    # Same person, same kind, same parameters: one key, so a second request finds the first.
    key = models.CharField(max_length=64, blank=True, db_index=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    params = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(upload_to="jobs/", blank=True, max_length=300)
    # What a job made that is not a file: the page to open when it is done.
    result_url = models.CharField(max_length=300, blank=True)
    result_label = models.CharField(max_length=200, blank=True)
    # A file the person sent with the request (an uploaded catalog), kept for the worker.
    input_file = models.FileField(upload_to="jobs/input/", blank=True, max_length=300)
    # Which worker runs it, and how many times it was started: a job whose worker stopped
    # is run again once, or failed (runner.recover).
    worker = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Worker(models.Model):
    """A running `townhall worker` process and when it last said it was alive.

    The worker writes its row every few seconds; a row that stops being written, or whose
    process is gone, is a worker that stopped. Not part of backups: it describes processes,
    not records."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"worker {self.pid} on {self.host}"
