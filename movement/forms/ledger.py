"""Forms of the support ledger: they parse what is typed; movement.services.ledger decides and records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from common.text import MAX_COMMENT_LENGTH, validate_safe_text
from households.rules import parse_money
from units.choices import UnitKind
from units.models import Unit

from ..models import SupportKind
from ..selectors.ledger import DIMENSIONS
from ..services.ledger import MAX_DONOR_LENGTH


class Recipient:
    HOUSEHOLD = "household"
    COMMUNE = "commune"


class SupportForm(forms.Form):
    giver = forms.ModelChoiceField(label=_("Given by"), queryset=Unit.objects.none(), empty_label=None)
    recipient = forms.ChoiceField(
        label=_("To"),
        choices=[(Recipient.HOUSEHOLD, _("a household")), (Recipient.COMMUNE, _("a commune as a whole"))],
        initial=Recipient.HOUSEHOLD,
        widget=forms.RadioSelect(attrs={"data-testid": "support-recipient"}),
    )
    household_code = forms.CharField(
        label=_("Household's registry code"),
        required=False,
        max_length=60,
        help_text=_("As the commune gave it, e.g. 13249-00017."),
        widget=forms.TextInput(attrs={"data-testid": "support-code", "autocomplete": "off"}),
    )
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of support"),
        choices=[("", "---------"), *SupportKind.choices],
        widget=forms.Select(attrs={"data-testid": "support-kind"}),
    )
    value = forms.CharField(
        label=_("Value (VND)"),
        max_length=40,
        help_text=_("Whole đồng, like 50.000.000. 0 only for support in kind with no value put on it."),
        widget=forms.TextInput(attrs={"data-testid": "support-value", "inputmode": "numeric"}),
    )
    given_on = forms.DateField(
        label=_("Date given"), widget=forms.DateInput(attrs={"type": "date", "data-testid": "support-date"})
    )
    donor = forms.CharField(
        label=_("Donor"),
        required=False,
        max_length=MAX_DONOR_LENGTH,
        help_text=_("Only when you record for a person or company who gave through your unit."),
        validators=[validate_safe_text],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_safe_text],
    )

    def __init__(self, *args, givers, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["commune"].queryset = communes
        self.fields["giver"].widget.attrs["data-testid"] = "support-giver"
        self.fields["commune"].widget.attrs["data-testid"] = "support-commune"

    def clean_value(self):
        """Whole đồng as households.rules.parse_money reads it; a minus sign is kept for the service to refuse."""
        text = self.cleaned_data["value"]
        amount = parse_money(text)
        if amount is None:
            raise forms.ValidationError(
                _("“%(value)s” cannot be read as an amount of đồng. Type it like 50.000.000 or 50000000."),
                params={"value": text.strip()},
            )
        return amount

    def clean(self):
        data = super().clean()
        if data.get("recipient") == Recipient.COMMUNE:
            data["household_code"] = ""
            if not data.get("commune"):
                self.add_error("commune", _("Choose the commune."))
        else:
            data["commune"] = None
            if not data.get("household_code", "").strip():
                self.add_error("household_code", _("Type the household's registry code."))
        return data


class LedgerFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of support"), required=False)
    giver = forms.ModelChoiceField(label=_("Given by"), queryset=Unit.objects.none(), required=False)
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Unit.objects.none(), required=False)
    by = forms.ChoiceField(
        label=_("Totals by"),
        required=False,
        choices=[
            ("giver", _("giver")),
            ("commune", _("commune")),
            ("kind", _("kind of support")),
            ("year", _("year")),
        ],
    )

    def __init__(self, *args, years, givers, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
        self.fields["kind"].choices = [("", _("All kinds")), *SupportKind.choices]
        self.fields["giver"].queryset = givers
        self.fields["commune"].queryset = communes.filter(kind=UnitKind.COMMUNE)
        for name, field in self.fields.items():
            field.widget.attrs["data-testid"] = f"filter-{name}"

    @property
    def grouping(self):
        """The dimension the totals are grouped by (the giver unless another is chosen)."""
        chosen = self.cleaned_data.get("by") if self.is_bound and self.is_valid() else ""
        return chosen if chosen in DIMENSIONS else "giver"
