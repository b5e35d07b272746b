from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from deadlines import links
        from deadlines.models import DeadlineKind

        from .documents import register
        from .summaries import selectors as summary_selectors
        from .unit_reports import selectors as report_selectors

        register()
        links.register(DeadlineKind.UNIT_REPORT, report_selectors.deadline_page)
        links.register(DeadlineKind.PROVINCIAL_SUMMARY, summary_selectors.deadline_page)
