from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self):
        from deadlines import links
        from deadlines.models import DeadlineKind

        from .selectors import review_period_page

        links.register(DeadlineKind.REVIEW_PERIOD, review_period_page)
