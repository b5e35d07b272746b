"""HTML to PDF with WeasyPrint, in the Decree 30/2020 layout, reading only the project's own static files."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_DIR = settings.BASE_DIR / "static"


def render_pdf(template_name, context):
    """Render a document template to PDF bytes; returns (pdf, page_count).

    Official documents are Vietnamese whatever language the requester browses in.
    """
    with translation.override("vi"):
        html = render_to_string(template_name, context)
    fetcher = URLFetcher(allowed_protocols={"file", "data"}, fail_on_errors=True)
    document = HTML(string=html, base_url=f"{STATIC_DIR}/", url_fetcher=fetcher).render()
    return document.write_pdf(), len(document.pages)
