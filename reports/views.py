"""Home page per role and official documents (rendered now, or by the worker for long ones)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from units import policy
from units import selectors as unit_selectors
from units.forms import AsOfForm

from . import selectors, services
from .models import DocumentKind


@login_required
def home(request):
    if not request.user.is_superuser and not policy.memberships(request.user):
        return render(request, "reports/no_unit.html")
    return render(request, "reports/home.html", selectors.home_panels(request.user, today=timezone.localdate()))


@login_required
def unit_summary_pdf(request, pk):
    day = AsOfForm(request.GET).day()
    unit = unit_selectors.unit_for(request.user, pk, day=day)
    pdf, _pages = services.render_now(kind=DocumentKind.UNIT_SUMMARY, unit=unit, day=day)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bao-cao-don-vi-{unit.pk}-{day:%Y%m%d}.pdf"'
    return response


@login_required
@require_POST
def document_request(request, pk):
    day = AsOfForm(request.POST).day()
    unit = unit_selectors.unit_for(request.user, pk, day=day)
    document = services.request_document(user=request.user, kind=DocumentKind.UNIT_ROSTER, unit=unit, day=day)
    return redirect(document)
