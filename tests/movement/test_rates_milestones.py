"""The milestone status and the reporting rates count alike: the milestones page links to its deadline's rates,
whose totals are the status's."""

import re

from django.urls import reverse

from deadlines import rates
from deadlines import services as deadline_services
from movement.selectors import participation as selectors
from units.roles import Role

from .part_files import vn


def test_the_milestone_page_leads_to_the_same_counts_as_rates(client, movement, tree, make_user):
    milestone = selectors.plan_milestone(movement)
    deadline_services.deliver(deadline=milestone.deadline, unit=tree.commune("13249"), at=vn(2022, 10, 1, 0, 0, 0))
    deadline_services.deliver(deadline=milestone.deadline, unit=tree.commune("13255"), at=vn(2022, 9, 30, 23, 59, 59))
    status = selectors.milestone_status(milestone, tree.province, with_units=False)
    total = rates.rates(milestone.deadline, tree.province, children=False).total
    assert (
        (status.total.expected, status.total.on_time, status.total.late)
        == (
            total.expected,
            total.on_time,
            total.late,
        )
        == (total.expected, 1, 1)
    )

    client.force_login(make_user(Role.DOLISA_STAFF, tree.participant("Sở LĐ-TB&XH")))
    html = client.get(reverse("movement:milestones"), {"milestone": milestone.pk}).content.decode()
    link = re.search(r'href="([^"]+)" data-testid="milestone-rates"', html).group(1).replace("&amp;", "&")
    assert link == f"{reverse('rates:detail', args=[milestone.deadline_id])}?unit={tree.province.pk}"
    page = client.get(link).content.decode()
    assert re.search(r'data-testid="level-total">.*?data-field="late">1<', page, re.S)
