from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from deadlines import links
        from deadlines.models import DeadlineKind

        from .documents import register
        from .unit_reports.selectors import deadline_page

        register()
        links.register(DeadlineKind.UNIT_REPORT, deadline_page)
