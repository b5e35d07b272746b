"""The background-job base: one row per piece of work the worker does for a person (an import, an export, a
document), with one vocabulary of state and progress, one way for a task to report, finish, fail or stop on a
cancel, and one JSON status view for the pages' poller (static/js/jobs.js).

A new kind of job is a subclass and a task: the subclass adds its own fields, says who may see it
(`visible_to`, through the access policy of its app: common sits below units and knows no scope) and where its
result is fetched (`get_result_url`); the task calls `run(Model, pk, work)`, where `work(job)` reports progress
with `job.report(percent, message)` and returns the result file's name and content.
"""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator
from django.db import models
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class Cancelled(Exception):
    """Someone asked to cancel the job; `Job.honour_cancel` raises it so the task stops where it is."""


class Job(models.Model):
    """A piece of work done by the worker for its requester.

    Subclasses with a richer workflow (imports) keep their own `state` choices and tell which of them mean
    running, done and failed through the three tuples below.
    """

    RUNNING_STATES = (JobState.QUEUED, JobState.RUNNING)
    DONE_STATES = (JobState.DONE,)
    FAILED_STATES = (JobState.FAILED,)

    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    progress_message = models.CharField(_("progress message"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    # What each concrete job says about itself ------------------------------------------------------------------

    @classmethod
    def visible_to(cls, user):
        """The jobs `user` may follow (a queryset); anything else answers 404."""
        raise NotImplementedError

    def get_result_url(self):
        """Where the finished job's result is fetched ("" while there is none)."""
        return ""

    def status_extra(self):
        """More keys for the JSON status (an import's rows, rate and time left)."""
        return {}

    # Reading -------------------------------------------------------------------------------------------------

    @property
    def is_running(self):
        return self.state in self.RUNNING_STATES

    @property
    def is_done(self):
        return self.state in self.DONE_STATES

    @property
    def is_failed(self):
        return self.state in self.FAILED_STATES

    def status(self):
        """What the poller reads: state, a label, progress 0-100 with its message, the result URL, done/failed."""
        label = str(self.get_state_display())
        return {
            "state": self.state,
            "label": f"{label}: {self.progress_message}" if self.progress_message else label,
            "progress": self.progress,
            "message": self.error if self.is_failed else self.progress_message,
            "result_url": self.get_result_url() if self.is_done else "",
            "running": self.is_running,
            "done": self.is_done,
            "failed": self.is_failed,
            **self.status_extra(),
        }

    # Writing, from the task ----------------------------------------------------------------------------------

    def _set(self, **fields):
        for name, value in fields.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**fields)

    @classmethod
    def claim(cls, pk):
        """Move a queued job to running and return it; None when another delivery of the task already did."""
        if not cls.objects.filter(pk=pk, state=JobState.QUEUED, cancel_requested=False).update(state=JobState.RUNNING):
            cls.objects.filter(pk=pk, state=JobState.QUEUED, cancel_requested=True).update(
                state=JobState.CANCELLED, finished_at=timezone.now()
            )
            return None
        return cls.objects.get(pk=pk)

    def report(self, percent, message="", **counters):
        """Record progress (only these columns, and any `counters` of the subclass, are written), then stop if a
        cancel was asked meanwhile."""
        self._set(progress=max(0, min(100, int(percent))), progress_message=str(message)[:255], **counters)
        self.honour_cancel()

    def honour_cancel(self):
        """Raise Cancelled (and record the job as cancelled) if its requester asked to stop it."""
        if type(self).objects.filter(pk=self.pk, cancel_requested=True).exists():
            self._set(state=JobState.CANCELLED, finished_at=timezone.now())
            raise Cancelled

    def finish(self, *, name=None, content=None, **fields):
        """Store the result file (if any) and mark the job done."""
        if content is not None:
            self.file.save(name, ContentFile(content) if isinstance(content, bytes) else content, save=False)
            fields["file"] = self.file.name
        self._set(state=JobState.DONE, progress=100, finished_at=timezone.now(), **fields)

    def fail(self, error):
        self._set(state=JobState.FAILED, error=str(error)[:ERROR_LENGTH], finished_at=timezone.now())

    # Writing, from a person ----------------------------------------------------------------------------------

    def request_cancel(self):
        """A queued job is cancelled at once; a running one stops at its next report."""
        model = type(self)
        now = timezone.now()
        if model.objects.filter(pk=self.pk, state=JobState.QUEUED).update(
            state=JobState.CANCELLED, cancel_requested=True, finished_at=now
        ):
            return JobState.CANCELLED
        model.objects.filter(pk=self.pk, state=JobState.RUNNING).update(cancel_requested=True)
        return JobState.RUNNING


def run(model, pk, work, *, failure=None):
    """Run `work(job)` for a queued job of `model`, at most once however often the task is delivered.

    `work` returns the keyword arguments of `job.finish` (the result file's `name` and `content`, and any field
    to store); it reports progress through `job.report`. A cancel stops it; any other exception
    marks the job failed with `failure` (a message for the requester; the exception's text by default) and is
    logged. Returns True when this call did the work.
    """
    job = model.claim(pk)
    if job is None:
        return False
    try:
        outcome = work(job)
    except Cancelled:
        return True
    except Exception as exc:
        logger.exception("%s %s failed", model._meta.label, pk)
        job.fail(failure or exc)
        return True
    job.finish(**outcome)
    return True


@login_required
def status_view(request, pk, *, model):
    """The one JSON status of every job; `model` comes from the URL pattern, scope from `model.visible_to`."""
    return JsonResponse(get_object_or_404(model.visible_to(request.user), pk=pk).status())
