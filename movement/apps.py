from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "movement"
    verbose_name = _("Movement")

    def ready(self):
        from households import sections

        from .selectors import ledger
        from .services.practices import register_document

        register_document()
        sections.register(
            "support", template="movement/ledger/_household_support.html", context=ledger.household_section
        )
