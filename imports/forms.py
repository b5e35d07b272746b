"""Forms of the import screens: they parse input; services decide and write."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .importers import choices
from .models import ImportMode


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        # Tree order with indentation: the province, each district, its communes.
        return "\u2003" * max(unit.depth - 1, 0) + unit.name


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to import"), choices=())
    unit = UnitChoiceField(label=_("Into"), queryset=None, empty_label=None)
    mode = forms.ChoiceField(
        label=_("If some rows have errors"),
        choices=ImportMode.choices,
        initial=ImportMode.ALL_OR_NOTHING,
        widget=forms.RadioSelect(attrs={"data-testid": "import-mode"}),
    )
    file = forms.FileField(
        label=_("File (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv", "data-testid": "import-file"}),
    )

    def __init__(self, *args, units, importers=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = None if importers is None else {importer.kind for importer in importers}
        self.fields["kind"].choices = [(kind, label) for kind, label in choices() if allowed is None or kind in allowed]
        self.fields["unit"].queryset = units
        self.fields["kind"].widget.attrs["data-testid"] = "import-kind"
        self.fields["unit"].widget.attrs["data-testid"] = "import-unit"
        self.fields["file"].help_text = _(
            "At most %(mb)s MB. Macro-enabled or password-protected files are refused."
        ) % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
