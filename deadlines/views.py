"""The inbox: a user's notifications, opened (which marks one read) and marked read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "deadlines/inbox.html", {"page": page})


@login_required
def notification_open(request, pk):
    """Mark the notification read and follow its link (a link only inside this site; else back to the inbox)."""
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    safe = url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    return redirect(notification.url if notification.url and safe else "deadlines:inbox")


@login_required
@require_POST
def notification_read(request, pk):
    services.mark_read(user=request.user, notification=selectors.notification_for(request.user, pk))
    return redirect("deadlines:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("deadlines:inbox")
