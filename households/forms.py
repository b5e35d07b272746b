"""Forms of the registry screens: they parse and check input; services decide and write."""

import functools
from html import escape

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from common.text import MAX_COMMENT_LENGTH, TOO_LONG, validate_safe_text
from units import policy

from . import codes, rules
from .models import (
    MAX_MONTHLY_INCOME,
    MEMBER_RECORD_FIELDS,
    ArchiveReason,
    ClassChange,
    Member,
    PovertyCause,
    PovertyClass,
    ReviewState,
)

# Dates are typed as on paper, dd/mm/yyyy. A native date input would show mm/dd/yyyy in an English-language
# browser, and "11/03/1996" typed there is 3 November.
DATE_INPUT = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
)
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]

# Comments and reasons: a paragraph or two of visible text (the services check the same).
COMMENT_LIMITS = {
    "max_length": MAX_COMMENT_LENGTH,
    "validators": [validate_safe_text],
    "error_messages": {"max_length": TOO_LONG},
}


class MoneyInput(forms.TextInput):
    """Shows 1500000 as '1.500.000', the way it is written on the paper forms."""

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return super().format_value(value)


class MoneyField(forms.IntegerField):
    """VND typed the way people write it, read by the registry's one rule (rules.parse_money): '1.500.000',
    '1 500 000' or '1500000'; anything that could mean another amount ('1,5', '1.500.00') is refused."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        amount = rules.parse_money(str(value))
        if amount is None:
            raise ValidationError(rules.money_format_problem(str(value)), code="invalid")
        return amount


class QuickSelect(forms.Select):
    """Django's <select> for a flat list of choices, written here instead of through a template and a context per
    option (about 0.1 ms an option): the household list, the page officers open most, has four of them, one
    with a province's communes."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in chosen else ""}>{escape(str(label))}</option>'
            for key, label in ((str(key), label) for key, label in self.choices)
        )
        return mark_safe(f"<select{flatatt({'name': name, **self.build_attrs(self.attrs, attrs)})}>{options}</select>")


class HouseholdFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None, required=False, widget=QuickSelect)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False, widget=QuickSelect)
    klass = forms.ChoiceField(
        label=_("Class"), required=False, choices=[("", _("All")), *PovertyClass.choices], widget=QuickSelect
    )
    state = forms.ChoiceField(
        label=_("Review"),
        required=False,
        choices=[("", _("All")), ("none", _("Not started")), *ReviewState.choices],
        widget=QuickSelect,
    )
    q = forms.CharField(label=_("Name, CCCD or code"), required=False, max_length=100)
    archived = forms.BooleanField(label=_("Include archived"), required=False)
    # A figure of the movement table: its column ("poor-7") and its unit ("area").
    movement = forms.ChoiceField(
        required=False,
        choices=[(f"{table}-{column}", f"{table}-{column}") for table in ("poor", "near") for column in range(1, 10)],
        widget=forms.HiddenInput,
    )
    area = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, communes, villages, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["commune"].queryset = communes
        self.fields["village"].queryset = villages
        self.fields["commune"].empty_label = self.fields["village"].empty_label = _("All")
        if communes.count() <= 1:
            del self.fields["commune"]
        else:
            self._offer(self.fields["commune"], communes)

    @staticmethod
    def _offer(field, units):
        """Names and keys are all a drop-down needs: no model instance per option, read once when the page is
        drawn (an export never draws it)."""
        field.widget.choices = functools.cache(lambda: [("", field.empty_label), *units.values_list("pk", "name")])

    def offer_villages_of(self, commune):
        """Offer the villages in scope; with several communes in scope, those of `commune` only (none without
        one): a province has thousands, too many for one drop-down on every page. Any village in scope still
        validates, so a link naming a village alone keeps working."""
        field = self.fields["village"]
        villages = field.queryset
        if "commune" in self.fields:
            villages = villages.filter(parent=commune) if commune else villages.none()
            if commune is None:
                self["village"].help_text = _("Choose a commune and search to pick one of its villages.")
        self._offer(field, villages)


def household_filters(user, data, *, today):
    """The household list's filters read from a query string (for the list and its exports).

    Returns (form, year, filters): `filters` are the keyword arguments of selectors.household_filter.
    """
    from . import figures, selectors

    data = data.copy()
    year_now = selectors.current_review_year(today)
    data.setdefault("year", str(year_now))
    form = HouseholdFilterForm(
        data,
        communes=selectors.communes_for(user),
        villages=selectors.villages_for(user),
        areas=policy.visible_units(user),
    )
    form.is_valid()
    cleaned = form.cleaned_data
    year = cleaned.get("year") or year_now
    movement = None
    if cleaned.get("movement") and cleaned.get("area"):
        table, column = cleaned["movement"].split("-")
        movement = figures.MovementCell(cleaned["area"], table, int(column))
    commune, village = cleaned.get("commune"), cleaned.get("village")
    if commune and village and village.parent_id != commune.pk:
        village = None  # the commune was changed: its villages are the ones on offer
    form.offer_villages_of(commune or (village and village.parent))
    filters = {
        "commune": commune,
        "village": village,
        "klass": cleaned.get("klass"),
        "state": cleaned.get("state"),
        "query": cleaned.get("q"),
        "include_archived": cleaned.get("archived"),
        "movement": movement,
    }
    return form, year, filters


class HouseholdForm(forms.Form):
    """A new household (its code suggested, checked by the service against the commune's numbering), or an
    existing one (`household`): its code is shown but never changed, and its version guards the save."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    village = forms.ModelChoiceField(label=_("Village"), queryset=None)
    code = forms.CharField(
        label=_("Registry code"),
        max_length=30,
        help_text=_("The commune's GSO code, a hyphen and the household's 5-digit number; the next free one is given."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args, villages, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["code"].widget.attrs.update(autocomplete="off", spellcheck="false")
        if household is None:
            del self.fields["version"]
        else:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = ""

    def clean_code(self):
        return codes.normalise(self.cleaned_data["code"])


class MemberForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # a change is saved only over the version it shows
    # Not the model's 12-character field: a browser would cut a 13th digit off without a word.
    cccd = forms.CharField(
        label=Member._meta.get_field("cccd").verbose_name,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    ethnicity = forms.ChoiceField(label=Member._meta.get_field("ethnicity").verbose_name)

    class Meta:
        model = Member
        fields = MEMBER_RECORD_FIELDS
        widgets = {"birth_date": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            del self.fields["version"]
        self.fields["birth_date"].input_formats = DATE_FORMATS
        ethnicities = [(name, name) for name in rules.ETHNIC_NAMES]
        recorded = self.instance.ethnicity
        if recorded and recorded not in rules.ETHNIC_NAMES:  # recorded before the list; kept until changed
            ethnicities.append((recorded, _("%(value)s (not in the list)") % {"value": recorded}))
        self.fields["ethnicity"].choices = ethnicities
        for name in ("working_capacity", "schooling"):
            field = self.fields[name]
            field.required = False
            field.choices = [("", _("— choose —")), *Member._meta.get_field(name).choices]
            field.help_text = _("Left at “— choose —”, it is filled in from the date of birth.")
            if self.instance.pk is None:
                self.initial[name] = ""

    def clean_cccd(self):
        cccd = rules.clean_cccd(self.cleaned_data["cccd"])
        problem = cccd and rules.cccd_format_problem(cccd)
        if problem:
            raise ValidationError(problem)
        return cccd

    def validate_unique(self):
        """Uniqueness (CCCD, one head) is checked by the service with a clearer message."""


class HeadForm(MemberForm):
    class Meta(MemberForm.Meta):
        fields = [f for f in MemberForm.Meta.fields if f != "relation"]


class ArchiveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=ArchiveReason.choices)
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT, input_formats=DATE_FORMATS)


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    income = MoneyField(
        label=_("Average income per person per month (VND)"),
        min_value=0,
        max_value=MAX_MONTHLY_INCOME,
        error_messages={
            "min_value": _("Income cannot be negative."),
            "max_value": _("Income over 1,000,000,000 VND per person per month is not plausible; check the figure."),
        },
        widget=MoneyInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Shown once the income is very low (rules.low_income_problem): only with it ticked is such an income saved.
    income_confirmed = forms.BooleanField(label=_("I confirm this income is correct"), required=False)
    deprived = forms.TypedMultipleChoiceField(
        label=_("Deprived on"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    no_working_capacity = forms.BooleanField(label=_("Household with no working capacity"), required=False)
    social_protection = forms.BooleanField(label=_("Social protection beneficiary"), required=False)
    meritorious_service = forms.BooleanField(label=_("Household of a person with meritorious service"), required=False)
    ethnic_minority = forms.BooleanField(label=_("Ethnic minority household"), required=False)
    causes = forms.ModelMultipleChoiceField(
        label=_("Causes of poverty"),
        queryset=PovertyCause.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    class_override = forms.ChoiceField(
        label=_("Class agreed by the village meeting, if different"),
        required=False,
        choices=[("", _("Same as computed")), *PovertyClass.choices],
    )
    class_reason = forms.CharField(
        label=_("Reason for the different class"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        **COMMENT_LIMITS,
    )

    def __init__(self, *args, standard, **kwargs):
        super().__init__(*args, **kwargs)
        self.low_income = False
        self.indicators = list(standard.indicators.all())
        self.fields["deprived"].choices = [(i.number, f"{i.number}. {i.name}") for i in self.indicators]

    def clean(self):
        data = super().clean()
        if data.get("class_override") and not (data.get("class_reason") or "").strip():
            self.add_error("class_reason", _("Give the reason why the agreed class differs from the computed one."))
        self.low_income = rules.low_income_problem(data.get("income")) is not None
        return data

    def services(self):
        """Indicators grouped by basic social service, with their checkboxes, for the template."""
        boxes = {int(w.data["value"]): w for w in self["deprived"]}
        groups = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.service, []).append((indicator, boxes[indicator.number]))
        return list(groups.items())


class ReopenForm(forms.Form):
    year = forms.IntegerField(label=_("Review year"), min_value=2000, max_value=2100)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    until = forms.DateField(label=_("Open until"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), **COMMENT_LIMITS)

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), **COMMENT_LIMITS
    )


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100)


class QueueFilterForm(forms.Form):
    village = forms.ModelChoiceField(label=_("Village"), queryset=None, required=False)
    klass = forms.ChoiceField(
        label=_("Class to recognise"), required=False, choices=[("", _("All")), *PovertyClass.choices]
    )
    change = forms.ChoiceField(
        label=_("Change from last year"),
        required=False,
        choices=[
            ("", _("All")),
            (ClassChange.SAME, ClassChange.SAME.label),
            (ClassChange.NEWLY_POOR, ClassChange.NEWLY_POOR.label),
            (ClassChange.LEFT_POVERTY, ClassChange.LEFT_POVERTY.label),
            ("changed", _("Any change")),
        ],
    )

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages
        self.fields["village"].empty_label = _("All")

    def filters(self):
        """The keyword arguments of selectors.leader_queue (an invalid choice filters nothing)."""
        self.is_valid()
        data = self.cleaned_data
        return {"village": data.get("village"), "klass": data.get("klass"), "change": data.get("change")}


class BulkForm(forms.Form):
    reviews = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": _("Select at least one review."),
        },
    )
    comment = forms.CharField(required=False, **COMMENT_LIMITS)

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = reviews
