"""Forms of participation: registration, the unit plan and the self-assessment. They parse what is typed; the
services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.text import MAX_COMMENT_LENGTH, validate_safe_text
from households.forms import DATE_FORMATS, DATE_INPUT, MoneyInput
from households.rules import parse_money

from ..models import Evidence


class PledgeField(forms.IntegerField):
    """VND as people write it, read by the registry's one rule (households.rules.parse_money)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        amount = parse_money(str(value))
        if amount is None:
            raise ValidationError(
                gettext("“%(value)s” cannot be read as an amount of đồng. Type it like 1.500.000 or 1500000.")
                % {"value": str(value).strip()},
                code="invalid",
            )
        return amount


WHOLE_NUMBER = {"invalid": _("Type a whole number, zero or more.")}


class RegistrationForm(forms.Form):
    commitments = forms.CharField(
        label=_("Commitments"),
        widget=forms.Textarea(attrs={"rows": 5, "data-testid": "commitments"}),
        validators=[validate_safe_text],
        help_text=_("What the unit commits to do for the movement, in its own words."),
    )
    households_to_lift = forms.IntegerField(
        label=_("Poor households it will help out of poverty"),
        required=False,
        error_messages=WHOLE_NUMBER,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-testid": "households-to-lift"}),
    )
    support_pledged = PledgeField(
        label=_("Support it pledges (VND)"),
        required=False,
        widget=MoneyInput(attrs={"inputmode": "numeric", "data-testid": "support-pledged"}),
        help_text=_("For example 150.000.000."),
    )
    models_planned = forms.IntegerField(
        label=_("Poverty-reduction models it will build"),
        required=False,
        error_messages=WHOLE_NUMBER,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-testid": "models-planned"}),
    )


class UnitPlanForm(forms.Form):
    number = forms.CharField(
        label=_("Number"),
        max_length=50,
        widget=forms.TextInput(attrs={"placeholder": "45/KH-UBND", "data-testid": "plan-number"}),
    )
    signed_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(format="%d/%m/%Y", attrs={**DATE_INPUT.attrs, "data-testid": "plan-date"}),
        input_formats=DATE_FORMATS,
    )
    signer = forms.CharField(
        label=_("Signed by"), max_length=255, widget=forms.TextInput(attrs={"data-testid": "plan-signer"})
    )
    file = forms.FileField(
        label=_("The signed plan (PDF)"),
        help_text=_("A PDF file of at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf", "data-testid": "plan-file"}),
    )


YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]


class AssessmentForm(forms.Form):
    """One field (or two) per criterion of the unit's group: a document, or yes/no with a comment. Computed
    criteria have no field: their figure comes from the records."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            if criterion.evidence == Evidence.DOCUMENT:
                self.fields[f"file_{criterion.pk}"] = forms.FileField(
                    label=_("Document"),
                    required=False,
                    help_text=_("PDF, Word (.docx), JPEG or PNG, at most 10 MB."),
                    widget=forms.FileInput(
                        attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png", "data-testid": f"file-{criterion.order}"}
                    ),
                )
            elif criterion.evidence == Evidence.YES_NO:
                self.fields[f"met_{criterion.pk}"] = forms.ChoiceField(
                    label=_("Met"),
                    choices=YES_NO_CHOICES,
                    required=False,
                    widget=forms.RadioSelect(attrs={"data-testid": f"met-{criterion.order}"}),
                )
                self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                    label=_("Comment"),
                    required=False,
                    max_length=MAX_COMMENT_LENGTH,
                    validators=[validate_safe_text],
                    widget=forms.Textarea(attrs={"rows": 2, "data-testid": f"comment-{criterion.order}"}),
                )

    def answers(self):
        """The answers as the service takes them: {criterion id: {"met", "comment", "file"}}."""
        data = self.cleaned_data
        answers = {}
        for criterion in self.criteria:
            pk = criterion.pk
            if criterion.evidence == Evidence.DOCUMENT:
                answers[pk] = {"file": data.get(f"file_{pk}") or None}
            elif criterion.evidence == Evidence.YES_NO:
                met = data.get(f"met_{pk}")
                answers[pk] = {"met": {"yes": True, "no": False}.get(met), "comment": data.get(f"comment_{pk}", "")}
        return answers
