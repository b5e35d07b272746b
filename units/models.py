"""The unit tree (every participant of the plan, dated so old years stay reproducible) and users' memberships."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Cast, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from .choices import URBAN_COMMUNE_CATEGORIES, UnitCategory, UnitKind
from .roles import Role, role_fit_problem


class User(AbstractUser):
    """A person using the platform; Vietnamese names read family name first ("Hoàng Minh Tuấn")."""

    def get_full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    def get_short_name(self):
        return self.first_name

    def __str__(self):
        return self.get_full_name() or self.username


def natural_order(field="name"):
    """Order-by expressions for names as people read them: numbers as numbers ("Thôn 2" before "Thôn 10") and
    letters without regard to accents or case ("Thôn Đông" before "Thôn Tây", which a byte or glibc order
    inverts); the name itself breaks ties."""
    digits = Value(r"\d+")
    return [
        Func(Lower(Func(F(field), function="unaccent")), digits, Value(""), Value("g"), function="regexp_replace"),
        Cast(Func(F(field), digits, function="substring"), models.FloatField()).asc(nulls_first=True),
        F(field),
    ]


class UnitQuerySet(models.QuerySet):
    def active_on(self, day):
        """Units in force on `day` (valid_from and valid_to are both inclusive)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        """Units in force today: the one meaning of "unit in force now" (a unit whose end date lies ahead still
        is; one that starts later is not yet)."""
        return self.active_on(timezone.localdate())


class TreePathField(models.TextField):
    """Materialised path ("1/5/42/") kept by a database trigger and read back on insert."""

    db_returning = True


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Unit(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    category = models.CharField(_("type"), max_length=20, choices=UnitCategory.choices, blank=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(
        _("code"), max_length=20, blank=True, help_text=_("GSO code for administrative units, if any.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = TreePathField(editable=False, default="")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Last day in force."))
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text=_("The unit that took over after a merger."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = UnitQuerySet.as_manager()
    # The unit path units.policy matches against a user's scope; each scoped model names its own once.
    scope_path = "path"

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], condition=~Q(code=""), name="unit_code_unique_per_kind"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
            ),
        ]
        indexes = [
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["text_pattern_ops"]),
            models.Index(fields=["kind", "parent"]),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="unit_path_set",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("parent_id"),
                func="""
                    IF TG_OP = 'UPDATE' AND NEW.parent_id IS NOT DISTINCT FROM OLD.parent_id THEN
                        RETURN NEW;
                    END IF;
                    IF NEW.parent_id IS NULL THEN
                        NEW.path := NEW.id || '/';
                    ELSE
                        SELECT path || NEW.id || '/' INTO NEW.path FROM units_unit WHERE id = NEW.parent_id;
                        IF TG_OP = 'UPDATE' AND NEW.path LIKE OLD.path || '_%' THEN
                            RAISE EXCEPTION 'unit % cannot move under its own subtree', NEW.id;
                        END IF;
                    END IF;
                    RETURN NEW;
                """,
            ),
            pgtrigger.Trigger(
                name="unit_path_cascade",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("parent_id"),
                condition=pgtrigger.Q(old__path__df=pgtrigger.F("new__path")),
                func="""
                    UPDATE units_unit SET path = NEW.path || substr(path, length(OLD.path) + 1)
                    WHERE path LIKE OLD.path || '_%';
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("units:detail", args=[self.pk])

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-units.")})
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A unit cannot succeed itself.")})

    @property
    def depth(self):
        return self.path.count("/")

    @property
    def ancestor_ids(self):
        return [int(part) for part in self.path.split("/") if part][:-1]

    @property
    def is_urban(self):
        """Urban or rural follows the commune type (phường, thị trấn = urban); a village takes its commune's."""
        if self.kind == UnitKind.COMMUNE:
            return self.category in URBAN_COMMUNE_CATEGORIES
        if self.kind == UnitKind.VILLAGE and self.parent_id:
            return self.parent.is_urban
        return None

    def is_active_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)


class UnitName(models.Model):
    """A name a unit carried before a rename, so documents for past years print the name then in force."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("name"), max_length=255)
    valid_to = models.DateField(_("last day in use"))

    class Meta:
        verbose_name = _("former name")
        verbose_name_plural = _("former names")
        ordering = ["valid_to"]
        constraints = [models.UniqueConstraint(fields=["unit", "valid_to"], name="unit_name_unique_end")]

    def __str__(self):
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_path = "unit__path"

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.unit}"

    def clean(self):
        problem = self.unit_id and role_fit_problem(self.role, self.unit.kind)
        if problem:
            raise ValidationError({"unit": problem})


class HistoryEvent(Events):
    """pghistory's events across every tracked table, as the admin lists them (PGHISTORY_ADMIN_MODEL): the
    package's own model carries plain English names, which no catalogue can translate."""

    class Meta:
        proxy = True
        default_manager_name = "no_objects"  # as pghistory's: a bare query across every event table is costly
        verbose_name = _("change")
        verbose_name_plural = _("change history")
