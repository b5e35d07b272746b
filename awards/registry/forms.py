"""The registry's filters and the statistics' period, read from the query string. The forms only read the input;
the selectors decide what each filter means."""

from datetime import date

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from households.forms import DATE_FORMATS, DATE_INPUT
from households.rules import cccd_format_problem, clean_cccd
from units.choices import UnitKind

from ..models import NomineeKind, Occasion


def _date_field(label):
    return forms.DateField(label=label, required=False, input_formats=DATE_FORMATS, widget=DATE_INPUT)


class PeriodForm(forms.Form):
    """A range of decision dates (both ends included); empty ends leave the range open."""

    signed_from = _date_field(_("Decisions signed from"))
    signed_to = _date_field(_("until"))

    def clean(self):
        data = super().clean()
        start, end = data.get("signed_from"), data.get("signed_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data

    def period(self):
        return {"signed_from": self.cleaned_data.get("signed_from"), "signed_to": self.cleaned_data.get("signed_to")}


class StatisticsForm(PeriodForm):
    """The period of the statistics and of form 0603.N: the given year by default."""

    def __init__(self, data, *, today):
        defaults = {"signed_from": f"{date(today.year, 1, 1):%d/%m/%Y}", "signed_to": f"31/12/{today.year}"}
        # An end left empty on purpose stays open; an end not given at all is the year's.
        super().__init__({**defaults, **{key: data[key] for key in defaults if key in data}})


class RegistryForm(PeriodForm):
    q = forms.CharField(
        label=_("Name or citizen ID"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. nguyen van an"), "data-testid": "registry-q"}),
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    kind = forms.ChoiceField(label=_("Recipient kind"), required=False)
    occasion = forms.ModelChoiceField(
        label=_("Occasion"), required=False, queryset=Occasion.objects.none(), empty_label=_("All occasions")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, data, *, units, occasions):
        super().__init__(data)
        # Some 270 districts and communes: `unit_options_html` writes the options at once (Django's widget renders
        # each option through a template, which took most of the page's time).
        self.units = units.filter(kind__in=[UnitKind.DISTRICT, UnitKind.COMMUNE])
        self.unit_options = [
            (str(pk), name if kind == UnitKind.DISTRICT else f"— {name}")
            for pk, kind, name in self.units.order_by("path").values_list("pk", "kind", "name")
        ]
        self.fields["unit"].choices = [("", _("All units")), *self.unit_options]
        self.fields["kind"].choices = [("", _("All recipient kinds")), *NomineeKind.choices]
        self.fields["occasion"].queryset = occasions

    def unit_options_html(self):
        selected = str(self["unit"].value() or "")
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((value, mark_safe(" selected") if value == selected else "", label) for value, label in self.unit_options),
        )

    def clean_unit(self):
        pk = self.cleaned_data["unit"]
        return self.units.get(pk=pk) if pk else None

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        digits = clean_cccd(text)
        if digits.isascii() and digits.isdigit() and (problem := cccd_format_problem(digits)):
            raise forms.ValidationError(problem)
        return text

    def filters(self):
        data = self.cleaned_data
        return {
            "query": data.get("q", ""),
            "unit": data.get("unit"),
            "kind": data.get("kind", ""),
            "occasion": data.get("occasion"),
            "year": data.get("year"),
            **self.period(),
        }
