"""The targets form: one row per unit (the yearly band and the final reduction), whole numbers only."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import rules
from ..services.targets import FIELDS, TargetEntry

LABELS = {
    "yearly_min": gettext_lazy("Fewer a year, at least"),
    "yearly_max": gettext_lazy("Fewer a year, at most"),
    "final_reduction": gettext_lazy("Fewer by the end"),
}


def field_name(name, unit):
    return f"{name}-{unit.pk}"


class TargetTableForm(forms.Form):
    """A field per number and unit, typed as text so that every wrong entry gets its own message in its row."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.row_errors = {}
        for row in rows:
            for name in FIELDS:
                value = getattr(row.target, name) if row.target else None
                label = f"{LABELS[name]} — {row.unit.name_then}"
                attrs = {"inputmode": "numeric", "class": "form-control form-control-sm", "aria-label": label}
                self.fields[field_name(name, row.unit)] = forms.CharField(
                    label=label, required=False, initial=value, widget=forms.TextInput(attrs=attrs)
                )

    def clean(self):
        data = super().clean()
        self.entries = []
        for row in self.rows:
            values, problems = {}, []
            for name in FIELDS:
                try:
                    values[name] = rules.whole_number(data.get(field_name(name, row.unit)))
                except rules.NotWhole as exc:
                    problems.append(f"{LABELS[name]}: {exc}")
            if not problems and (problem := rules.band_problem(values["yearly_min"], values["yearly_max"])):
                problems.append(problem)
            if problems:
                self.row_errors[str(row.unit.pk)] = problems
            else:
                self.entries.append(TargetEntry(row.unit, **values))
        if self.row_errors:
            raise forms.ValidationError(_("Nothing was saved: correct the rows marked below."))
        return data

    def add_row_errors(self, errors):
        """The service's problems (ValidationError.message_dict keyed by unit id), shown in their rows."""
        for key, messages in errors.items():
            self.row_errors.setdefault(key, []).extend(messages)
        self.add_error(None, _("Nothing was saved: correct the rows marked below."))

    def table(self):
        """(row, [bound fields], problems) for the template."""
        return [
            (row, [self[field_name(name, row.unit)] for name in FIELDS], self.row_errors.get(str(row.unit.pk), []))
            for row in self.rows
        ]
