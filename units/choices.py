"""Kinds and legal types of units, shared by the models and the role rules."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    LEADERSHIP = "leadership", _("Provincial leadership")
    COUNCIL = "council", _("Council")
    DEPARTMENT = "department", _("Department")
    FRONT = "front", _("Fatherland Front")
    MASS_ORG = "mass_org", _("Mass organisation")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")
    ENTERPRISE = "enterprise", _("Enterprise")
    BANK = "bank", _("Bank")
    COOPERATIVE = "cooperative", _("Cooperative")


class UnitCategory(models.TextChoices):
    """The legal type within a kind; it decides urban or rural for communes."""

    DISTRICT_RURAL = "huyen", _("Rural district")
    DISTRICT_CITY = "thanh_pho", _("Provincial city")
    DISTRICT_TOWN = "thi_xa", _("District-level town")
    COMMUNE_RURAL = "xa", _("Commune")
    COMMUNE_WARD = "phuong", _("Ward")
    COMMUNE_TOWN = "thi_tran", _("Township")
    VILLAGE_RURAL = "thon", _("Village")
    VILLAGE_URBAN = "to_dan_pho", _("Residential group")


URBAN_COMMUNE_CATEGORIES = frozenset({UnitCategory.COMMUNE_WARD, UnitCategory.COMMUNE_TOWN})
