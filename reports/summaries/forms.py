"""The summary's narrative in the plan's sections."""

from django import forms

from ..models import Summary
from ..unit_reports.services import SECTIONS


class SummaryNarrativeForm(forms.ModelForm):
    class Meta:
        model = Summary
        fields = SECTIONS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in SECTIONS}
