"""Forms of the unit report pages: the narrative in the plan's sections, an attachment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import UnitReport
from .services import SECTIONS


class NarrativeForm(forms.ModelForm):
    class Meta:
        model = UnitReport
        fields = SECTIONS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in SECTIONS}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Document or photo (PDF, DOCX, JPEG, PNG; at most 10 MB)"), required=False)
