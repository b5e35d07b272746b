"""The registry of importers: one class per kind of roster, registered here and nowhere else.

To add an importer: write its class (see base.Importer and households.py) and add it below.
"""

from .households import HouseholdsImporter
from .nominees import NomineesImporter
from .reviews import ReviewsImporter
from .support import SupportImporter
from .targets import TargetsImporter
from .users import UsersImporter
from .villages import VillagesImporter

IMPORTERS = {
    importer.kind: importer
    for importer in (
        HouseholdsImporter(),
        VillagesImporter(),
        ReviewsImporter(),
        UsersImporter(),
        TargetsImporter(),
        SupportImporter(),
        NomineesImporter(),
    )
}


def get_importer(kind):
    """The importer of `kind`; KeyError if there is none."""
    return IMPORTERS[kind]


def choices():
    return [(kind, importer.label) for kind, importer in IMPORTERS.items()]
