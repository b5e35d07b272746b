"""Forms of good practices: what a unit writes (amounts read as Vietnamese write them), the workflow's steps,
and the half-year to compile. Every check of substance is the service's; the forms only read the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from households.rules import parse_money

from ..models import Half, PracticeKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks their type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class PracticeForm(forms.Form):
    unit = forms.ChoiceField(label=_("Proposing unit"))
    title = forms.CharField(label=_("Name of the practice"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind of practice"), choices=PracticeKind.choices)
    description = forms.CharField(label=_("Description of the practice"), widget=forms.Textarea(attrs={"rows": 5}))
    results = forms.CharField(label=_("Results achieved"), widget=forms.Textarea(attrs={"rows": 4}))
    households_out_of_poverty = forms.IntegerField(label=_("Households helped out of poverty"), required=False)
    people_employed = forms.IntegerField(label=_("People given jobs"), required=False)
    value_mobilised = forms.CharField(
        label=_("Value mobilised (VND)"), required=False, help_text=_("For example 1.500.000.000")
    )
    files = MultipleFileField(
        label=_("Photos and files"),
        required=False,
        help_text=_("JPEG or PNG photos, PDF or Word (DOCX) files, each at most 10 MB."),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["unit"].choices = [(pk, unit.name) for pk, unit in self.units.items()]
        if len(self.units) <= 1:
            # One unit to propose for: no question to ask.
            self.fields["unit"].widget = forms.HiddenInput()
            self.fields["unit"].required = False

    def clean_unit(self):
        if len(self.units) == 1:
            return next(iter(self.units.values()))
        return self.units[self.cleaned_data["unit"]]

    def clean_value_mobilised(self):
        text = self.cleaned_data["value_mobilised"].strip()
        if not text:
            return None
        value = parse_money(text)
        if value is None:
            raise forms.ValidationError(
                _("“%(value)s” cannot be read as an amount of đồng. Type it like 1.500.000 or 1500000.")
                % {"value": text}
            )
        return value

    def practice_fields(self):
        """The fields the services take, by name."""
        data = self.cleaned_data
        return {
            name: data[name]
            for name in (
                "title",
                "kind",
                "description",
                "results",
                "households_out_of_poverty",
                "people_employed",
                "value_mobilised",
            )
        }


class EditPracticeForm(PracticeForm):
    """A correction: the unit stays; the version read guards against another person's change."""

    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["unit"]


class StepForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CompileForm(forms.Form):
    year = forms.IntegerField()
    half = forms.TypedChoiceField(choices=Half.choices, coerce=int)
