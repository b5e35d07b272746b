"""Login lockout (django-axes): an account tried from one address, and an address that tries many accounts."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ACCOUNT = ("username", "ip_address")
ADDRESS = "ip_address"


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS ([["username", "ip_address"], "ip_address"])
    against one limit. Here an account tried from one address locks at AXES_FAILURE_LIMIT, and an address alone
    (its failures summed over every username tried from it) at the larger AXES_ADDRESS_FAILURE_LIMIT: a commune
    office behind one shared address is not locked out by one person's typos, a password sprayer is, and nobody
    can lock an account out from elsewhere."""

    def get_failures(self, request, credentials=None):
        counts = {}
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            key = parameter if isinstance(parameter, str) else tuple(parameter)
            counts[key] = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        account = counts.get(ACCOUNT, 0)
        if counts.get(ADDRESS, 0) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(account, get_failure_limit(request, credentials))
        return account


def forwarded_address(request):
    """The client's address as the reverse proxy in front saw it: the last X-Forwarded-For entry, which the proxy
    appends itself (earlier entries come from the client and can be forged); REMOTE_ADDR without the header."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")
