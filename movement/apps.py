from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "movement"
    verbose_name = _("Movement")

    def ready(self):
        from deadlines import links
        from deadlines.models import DeadlineKind
        from households import sections

        from . import snapshots
        from .selectors import ledger, participation
        from .services.practices import register_document

        register_document()
        snapshots.register()
        for kind in (DeadlineKind.PLAN_MILESTONE, DeadlineKind.GOOD_PRACTICES):
            links.register(kind, participation.deadline_page)
        sections.register(
            "support", template="movement/ledger/_household_support.html", context=ledger.household_section
        )
