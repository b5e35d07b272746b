from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "movement"
    verbose_name = _("Movement")

    def ready(self):
        from households import sections

        from . import snapshots
        from .selectors import ledger
        from .services.practices import register_document

        register_document()
        snapshots.register()
        sections.register(
            "support", template="movement/ledger/_household_support.html", context=ledger.household_section
        )
