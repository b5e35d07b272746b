"""Periods and deadlines as rows (which units owe what, by when), per-unit reopenings, what units filed, the
reminders sent, and each user's inbox of notifications."""

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from . import rules


class DeadlineKind(models.TextChoices):
    REVIEW_PERIOD = "review_period", _("Review period")
    UNIT_REPORT = "unit_report", _("Unit report")
    PROVINCIAL_SUMMARY = "provincial_summary", _("Provincial summary")
    PLAN_MILESTONE = "plan_milestone", _("Plan milestone")
    GOOD_PRACTICES = "good_practices", _("Good-practice compilation")
    OTHER = "other", _("Other deadline")


class ReminderState(models.TextChoices):
    SENT = "sent", _("sent")
    SKIPPED = "skipped", _("skipped (a later reminder was due)")


def default_days_before():
    return list(rules.DAYS_BEFORE)


def default_days_after():
    return list(rules.DAYS_AFTER)


class Deadline(models.Model):
    """Something units owe by a day: a review period (entry closes after `due_on`), a report, a milestone.

    Who owes it: the units in force on the due day whose kind is one of `unit_kinds` and that lie under `within`
    (either or both), plus the units listed in `units`. The people who act for a unit are those whose roles give
    `action` on it (units.policy.actors).
    """

    kind = models.CharField(_("kind"), max_length=30, choices=DeadlineKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255, blank=True, help_text=_("Empty: the kind and the year."))
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), help_text=_("Last day: anything filed by 23:59:59 that day is on time."))
    action = models.CharField(_("who acts"), max_length=30, choices=Action.choices, default=Action.REPORT)
    unit_kinds = ArrayField(
        models.CharField(max_length=20, choices=UnitKind.choices),
        verbose_name=_("owed by units of kinds"),
        default=list,
        blank=True,
    )
    within = models.ForeignKey(
        Unit,
        verbose_name=_("owed by units under"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    units = models.ManyToManyField(Unit, verbose_name=_("also owed by"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(due_on__gte=F("opens_on")), name="deadline_range"
            ),
            models.UniqueConstraint(
                fields=["year"], condition=Q(kind="review_period"), name="one_review_period_a_year"
            ),
        ]
        indexes = [models.Index(fields=["kind", "year"], name="deadline_kind_year")]

    def __str__(self):
        return self.label

    @property
    def label(self):
        if self.title:
            return self.title
        kind = DeadlineKind(self.kind).label
        return f"{kind} {self.year}" if self.year else str(kind)


class ReminderSchedule(models.Model):
    """When the deadlines of one kind remind the units that still owe them, edited by an administrator. A kind
    without a row follows `rules.DAYS_BEFORE` and `rules.DAYS_AFTER` (a review period: no reminder after it,
    since entry locks when it closes)."""

    kind = models.CharField(_("deadline kind"), max_length=30, choices=DeadlineKind.choices, unique=True)
    days_before = ArrayField(
        models.SmallIntegerField(),
        verbose_name=_("days before the due day"),
        default=default_days_before,
        blank=True,
        help_text=_("Comma-separated, e.g. 14,7,3,1; 0 is the due day itself."),
    )
    days_after = ArrayField(
        models.SmallIntegerField(),
        verbose_name=_("days after the due day"),
        default=default_days_after,
        blank=True,
        help_text=_("Comma-separated, e.g. 1 for the day after; empty for none."),
    )

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        ordering = ["kind"]

    def __str__(self):
        return str(DeadlineKind(self.kind).label)

    def clean(self):
        problems = rules.schedule_problems(days_before=self.days_before or [], days_after=self.days_after or [])
        if problems:
            raise ValidationError(problems)

    @property
    def offsets(self):
        return rules.offsets(days_before=self.days_before, days_after=self.days_after)

    @classmethod
    def default_for(cls, kind):
        after = [] if kind == DeadlineKind.REVIEW_PERIOD else default_days_after()
        return cls(kind=kind, days_before=default_days_before(), days_after=after)


class ReviewPeriodManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=DeadlineKind.REVIEW_PERIOD)


class ReviewPeriod(Deadline):
    """The yearly review window as a deadline: communes (EDIT_REGISTRY) owe it; after `closes_on`, entry locks."""

    objects = ReviewPeriodManager()

    class Meta:
        proxy = True
        verbose_name = _("review period")
        verbose_name_plural = _("review periods")
        ordering = ["-year"]

    def save(self, *args, **kwargs):
        self.kind = DeadlineKind.REVIEW_PERIOD
        self.action = Action.EDIT_REGISTRY
        self.unit_kinds = self.unit_kinds or [UnitKind.COMMUNE]
        super().save(*args, **kwargs)

    @property
    def closes_on(self):
        """Last day of entry."""
        return self.due_on


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Reopening(models.Model):
    """An authorised reopening of a passed deadline for one unit, until a day, with its reason."""

    deadline = models.ForeignKey(
        Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="reopenings"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    until = models.DateField(_("open until"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("reopening")
        verbose_name_plural = _("reopenings")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.deadline} — {self.unit} — {self.until}"


class Fulfilment(models.Model):
    """A unit delivered what a deadline asked for (no reminder goes to it any more)."""

    deadline = models.ForeignKey(Deadline, verbose_name=_("deadline"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("delivered at"))

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="one_delivery_per_unit")]

    def __str__(self):
        return f"{self.deadline} — {self.unit}"

    @property
    def on_time(self):
        return rules.on_time(self.at, self.deadline.due_on)


class ReminderSent(models.Model):
    """One reminder of one deadline to one unit's people at one offset of its schedule, sent or skipped (a run
    that caught up after missed days sent only the latest reminder due). The unique row is what makes the daily
    task send each reminder once."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    offset = models.SmallIntegerField(_("days before the due day"), help_text=_("Negative: days after it."))
    state = models.CharField(_("state"), max_length=10, choices=ReminderState.choices, default=ReminderState.SENT)
    at = models.DateTimeField(_("recorded at"))

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [models.UniqueConstraint(fields=["deadline", "unit", "offset"], name="one_reminder_per_offset")]

    def __str__(self):
        return f"{self.deadline} — {self.unit} — {self.offset}"


class Notification(models.Model):
    """A message in one user's inbox (and, when they have an address, in their mail)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created"], name="notification_inbox"),
            # The bell counts a user's unread notifications on every page.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self):
        return self.read_at is not None


class OutboxState(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    """A mail waiting for, or past, delivery: written in the transaction that made the notification, sent by the
    worker (deadlines.tasks.send_outbox) with retries, so that a mail server that is down delays a mail and
    loses none."""

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created", "-pk"]
        indexes = [
            # The sender's queue: the queued messages by the time they are due.
            models.Index(fields=["next_attempt_at", "id"], condition=Q(state="queued"), name="outbox_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="queued") | Q(next_attempt_at__isnull=False), name="outbox_queued_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"
