"""Forms of the nomination pages: open a list, a nominee of any kind, a claimed criterion, a dossier file, the
council's vote. They parse what was typed; the services decide what is acceptable."""

from django import forms
from django.utils.translation import gettext_lazy as _

from households.models import Sex
from units.models import Unit

from ..models import AwardType, NomineeFileKind, NomineeKind

FILE_HELP = _("PDF, DOCX, JPEG or PNG; at most 10 MB")


class OpenForm(forms.Form):
    occasion = forms.ModelChoiceField(label=_("Occasion"), queryset=None)
    unit = forms.ModelChoiceField(label=_("Nominating unit"), queryset=None)

    def __init__(self, *args, occasions, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occasion"].queryset = occasions
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])


class NomineeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nominee kind"), choices=NomineeKind.choices)
    award_type = forms.ModelChoiceField(label=_("Award proposed"), queryset=AwardType.objects.filter(active=True))
    unit = forms.ModelChoiceField(label=_("Collective"), queryset=None, required=False)
    full_name = forms.CharField(label=_("Full name"), required=False, max_length=200)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    position = forms.CharField(label=_("Position"), required=False, max_length=200)
    workplace = forms.CharField(label=_("Workplace"), required=False, max_length=255)
    cccd = forms.CharField(label=_("Citizen ID (CCCD), optional"), required=False, max_length=40)
    household_code = forms.CharField(label=_("Household code in the registry"), required=False, max_length=30)
    address = forms.CharField(label=_("Address (a family outside the registry)"), required=False, max_length=255)
    achievements = forms.CharField(label=_("Achievements"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    households_helped = forms.IntegerField(label=_("Households helped"), required=False, min_value=0)
    amount_contributed = forms.IntegerField(label=_("Amount contributed (VND)"), required=False, min_value=0)
    justification = forms.CharField(
        label=_("Justification beyond the quota"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, collectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = collectives

    @classmethod
    def initial_for(cls, nominee):
        return {
            "kind": nominee.kind,
            "award_type": nominee.award_type_id,
            "unit": nominee.unit_id,
            "full_name": nominee.full_name,
            "birth_year": nominee.birth_year,
            "sex": nominee.sex,
            "position": nominee.position,
            "workplace": nominee.workplace,
            "cccd": nominee.cccd,
            "household_code": nominee.household.code if nominee.household_id else "",
            "address": nominee.address,
            "achievements": nominee.achievements,
            "households_helped": nominee.households_helped,
            "amount_contributed": nominee.amount_contributed,
            "justification": nominee.justification,
        }


class ClaimForm(forms.Form):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=None)
    statement = forms.CharField(label=_("How the nominee meets it"), widget=forms.Textarea(attrs={"rows": 2}))
    claimed_value = forms.IntegerField(label=_("Claimed figure (when the criterion has one)"), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: f"{c.group.letter}.{c.order} {c.text[:120]}"


class FileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Part of the dossier"),
        choices=[(k, label) for k, label in NomineeFileKind.choices if k != NomineeFileKind.MINUTES],
    )
    file = forms.FileField(label=_("File"), help_text=FILE_HELP, required=False)


class CouncilForm(forms.Form):
    council_date = forms.DateField(label=_("Date of the council's vote"), required=False)
    votes_for = forms.IntegerField(label=_("Members voting for"), required=False, min_value=0)
    votes_total = forms.IntegerField(label=_("Members of the council"), required=False, min_value=0)
    minutes = forms.FileField(label=_("Minutes of the council's vote"), help_text=FILE_HELP, required=False)
