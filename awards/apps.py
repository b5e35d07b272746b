from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards")

    def ready(self):
        from households import sections

        from .documents import register
        from .registry import selectors

        register()
        sections.register(
            "awards", template="awards/registry/_household_awards.html", context=selectors.household_section
        )
