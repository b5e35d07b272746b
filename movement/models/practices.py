"""Good practices (mô hình, sáng kiến, điển hình tiên tiến) that units propose and the lead unit selects, their
files and history, and the lists of the selected ones the lead unit compiles every six months for the Emulation
Board."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.workflow import TransitionLog
from documents.models import Document
from units.models import Unit

from .campaign import Movement


class PracticeKind(models.TextChoices):
    MODEL = "model", _("Model")
    INITIATIVE = "initiative", _("Initiative")
    EXEMPLAR = "exemplar", _("Exemplary collective or person")


class PracticeState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    RETURNED = "returned", _("Returned for correction")
    SELECTED = "selected", _("Selected")


class Half(models.IntegerChoices):
    FIRST = 1, _("first six months")
    SECOND = 2, _("last six months")


def half_of(day):
    return Half.FIRST if day.month <= 6 else Half.SECOND


def half_bounds(year, half):
    """The first and last day of a half-year: 1 Jan - 30 Jun, or 1 Jul - 31 Dec."""
    if half == Half.FIRST:
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


class Compilation(models.Model):
    """The list of the practices the lead unit selected in one half-year, sent to the Emulation Board as a
    numbered report (a document of the documents app) and a workbook."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.PROTECT, related_name="compilations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    half = models.PositiveSmallIntegerField(_("half-year"), choices=Half.choices)
    document = models.OneToOneField(
        Document, verbose_name=_("report"), on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.PROTECT)
    sent_at = models.DateTimeField(_("sent at"))

    scope_path = "movement__lead_unit__path"

    class Meta:
        verbose_name = _("good-practice compilation")
        verbose_name_plural = _("good-practice compilations")
        ordering = ["-year", "-half"]
        constraints = [
            models.UniqueConstraint(fields=["movement", "year", "half"], name="one_compilation_per_half_year"),
        ]

    def __str__(self):
        return _("Good practices, %(half)s of %(year)s") % {"half": self.get_half_display(), "year": self.year}

    def get_absolute_url(self):
        return reverse("movement:compilation", args=[self.pk])

    @property
    def bounds(self):
        return half_bounds(self.year, self.half)


class GoodPractice(models.Model):
    """A practice a unit proposes: what it is, what it achieved (in words and figures), where it stands."""

    movement = models.ForeignKey(Movement, verbose_name=_("movement"), on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=PracticeKind.choices)
    description = models.TextField(_("description"))
    results = models.TextField(_("results"))
    households_out_of_poverty = models.PositiveIntegerField(
        _("households helped out of poverty"), null=True, blank=True
    )
    people_employed = models.PositiveIntegerField(_("people given jobs"), null=True, blank=True)
    value_mobilised = models.BigIntegerField(_("value mobilised (VND)"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=PracticeState.choices, default=PracticeState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    proposed_at = models.DateTimeField(_("first proposed at"), null=True, blank=True)
    selected_at = models.DateTimeField(_("selected at"), null=True, blank=True)
    compilation = models.ForeignKey(
        Compilation,
        verbose_name=_("compilation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="practices",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value_mobilised__gte=0), name="practice_value_not_negative"),
            models.CheckConstraint(
                condition=Q(state="selected") | Q(compilation__isnull=True), name="practice_compiled_when_selected"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "proposed_at"], name="practice_unit_proposed"),
            models.Index(fields=["movement", "state", "selected_at"], name="practice_selected"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("movement:practice", args=[self.pk])


class PracticeFile(models.Model):
    """A photo or a file about a practice: a JPEG or PNG image, a PDF or a Word (DOCX) document."""

    class Type(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to="practices/%Y/%m/", max_length=255)
    name = models.CharField(_("name"), max_length=255)
    type = models.CharField(_("file type"), max_length=8, choices=Type.choices)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "practice__unit__path"

    class Meta:
        verbose_name = _("practice file")
        verbose_name_plural = _("practice files")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def is_image(self):
        return self.type in (self.Type.JPEG, self.Type.PNG)

    @property
    def content_type(self):
        return {
            self.Type.JPEG: "image/jpeg",
            self.Type.PNG: "image/png",
            self.Type.PDF: "application/pdf",
            self.Type.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }[self.type]


class PracticeTransition(TransitionLog):
    """Who moved a practice from one state to another, when, and why (the log of the workflow `PRACTICES`)."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=PracticeState.choices)
    to_state = models.CharField(max_length=12, choices=PracticeState.choices)

    class Meta:
        verbose_name = _("practice transition")
        verbose_name_plural = _("practice transitions")
        ordering = ["at", "pk"]
