"""Forms of proposals and decisions: the nominees a proposal lists, and the decision's number, date, signer and
the nominees it does not award (each with its reason)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import MAX_COMMENT_LENGTH, validate_safe_text


class ProposalForm(forms.Form):
    nominees = forms.ModelMultipleChoiceField(
        label=_("Nominees"), queryset=None, widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominees"].queryset = candidates
        self.fields["nominees"].label_from_instance = lambda nominee: (
            f"{nominee.display_name} — {nominee.nomination.unit.name} — {nominee.award_type.name}"
        )


class DecisionForm(forms.Form):
    number = forms.IntegerField(
        label=_("Decision number"),
        required=False,
        min_value=1,
        max_value=999999,
        help_text=_("Leave empty to take the next number of the province's register."),
        widget=forms.NumberInput(attrs={"data-testid": "decision-number"}),
    )
    signed_on = forms.DateField(
        label=_("Signed on"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "data-testid": "decision-signed-on"}),
    )
    signer = forms.CharField(
        label=_("Signed by"),
        max_length=200,
        validators=[validate_safe_text],
        widget=forms.TextInput(attrs={"data-testid": "decision-signer"}),
    )
    signer_title = forms.CharField(
        label=_("Signer's title"),
        max_length=200,
        initial="Chủ tịch",
        validators=[validate_safe_text],
        help_text=_("For example “Chủ tịch” or “Phó Chủ tịch”."),
        widget=forms.TextInput(attrs={"data-testid": "decision-signer-title"}),
    )

    def __init__(self, *args, nominees, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominees = nominees
        for nominee in nominees:
            self.fields[f"decline_{nominee.pk}"] = forms.BooleanField(
                label=_("Not awarded"),
                required=False,
                widget=forms.CheckboxInput(attrs={"data-testid": f"decline-{nominee.pk}"}),
            )
            self.fields[f"reason_{nominee.pk}"] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                validators=[validate_safe_text],
                widget=forms.TextInput(attrs={"data-testid": f"reason-{nominee.pk}"}),
            )

    def rows(self):
        """(nominee, decline field, reason field) for the template."""
        return [(n, self[f"decline_{n.pk}"], self[f"reason_{n.pk}"]) for n in self.nominees]

    def declined(self):
        return {
            n.pk: self.cleaned_data.get(f"reason_{n.pk}", "")
            for n in self.nominees
            if self.cleaned_data.get(f"decline_{n.pk}")
        }
