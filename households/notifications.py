"""What the registry tells people through the inbox: a returned review goes back to its commune's officers."""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deadlines import services as deadline_services
from units import policy
from units.roles import Action

from .models import ReviewState


def notify_returned(*, reviews, by, comment):
    """Tell the people who may correct them (EDIT_REGISTRY on the commune) that `reviews` came back, with the
    comment: one notification per commune, leading to the review (or, for several, the commune's returned ones).
    `reviews` carry their household's village and commune (select_related)."""
    by_commune = defaultdict(list)
    for review in reviews:
        by_commune[review.household.village.parent].append(review)
    who = by.get_full_name() or by.get_username()
    with deadline_services.in_site_language():
        for commune, returned in by_commune.items():
            recipients = policy.actors(Action.EDIT_REGISTRY, commune).exclude(pk=by.pk)
            if len(returned) == 1:
                review = returned[0]
                title = _("Review %(year)s of household %(code)s returned for correction") % {
                    "year": review.year,
                    "code": review.household.code,
                }
                url = review.get_absolute_url()
            else:
                title = ngettext(
                    "%(count)d review returned for correction in %(commune)s",
                    "%(count)d reviews returned for correction in %(commune)s",
                    len(returned),
                ) % {"count": len(returned), "commune": commune.name}
                years = sorted({review.year for review in returned})
                url = f"{reverse('households:list')}?year={years[-1]}&state={ReviewState.RETURNED}"
            body = _("%(who)s wrote: %(comment)s") % {"who": who, "comment": comment}
            deadline_services.notify(recipients=recipients, title=title, body=body, url=url)
