"""Reminders link to the page where the unit acts on the deadline (deadlines.links, registered by each app): a unit
report's reminder opens the unit's report (or the list where it opens one), in the inbox and in the mail; a plan
milestone's the unit's participation page; a review period's the commune's progress; any other kind the home page."""

from datetime import date

import time_machine
from django.conf import settings
from django.urls import reverse

from deadlines import links, services
from deadlines.models import Deadline, DeadlineKind, Notification, OutboxMessage, ReviewPeriod
from households import services as household_services
from movement.models import Milestone, MilestoneKind
from reports.summaries import services as summary_services
from reports.unit_reports import services as report_services
from tests.reports.unit_report_helpers import People, at
from units.roles import Action

NOV_17 = at(2025, 11, 17, 7)


def test_a_unit_report_reminder_opens_the_units_report_in_the_inbox_and_the_mail(tree, movement, make_user, client):
    people = People(tree, make_user, movement)
    deadline = Milestone.objects.get(movement=movement, kind=MilestoneKind.UNIT_REPORT, deadline__year=2025).deadline
    report = report_services.open_report(
        user=people.commune, movement=movement, unit=people.song_an, year=2025, now=at(2025, 11, 10)
    )
    with time_machine.travel(NOV_17, tick=False):
        assert services.send_deadline_reminders(deadline=deadline, today=date(2025, 11, 17)) > 0

    told = Notification.objects.get(recipient=people.commune)
    assert told.url == report.get_absolute_url()
    mail = OutboxMessage.objects.get(to=people.commune.email)
    assert f"{settings.SITE_URL}{report.get_absolute_url()}" in mail.body
    client.force_login(people.commune)
    page = client.get(told.url)
    assert page.status_code == 200 and page.context["report"] == report

    not_opened = Notification.objects.get(recipient=people.other_commune)  # Vũ Hội has not opened its report
    assert not_opened.url == reverse("reports:unit_reports")
    client.force_login(people.other_commune)
    assert client.get(not_opened.url).status_code == 200
    union = Notification.objects.get(recipient=people.union)
    assert union.url == reverse("reports:unit_reports")


def test_movement_and_review_period_deadlines_link_to_their_pages(tree, movement, make_user, client):
    people = People(tree, make_user, movement)
    plan = Milestone.objects.get(movement=movement, kind=MilestoneKind.UNIT_PLAN).deadline
    url = links.url_for(plan, people.song_an)
    assert url == reverse("movement:participation_unit", args=[movement.pk, people.song_an.pk])
    client.force_login(people.commune)
    assert client.get(url).status_code == 200

    compilation = Milestone.objects.filter(movement=movement, kind=MilestoneKind.GOOD_PRACTICES).first().deadline
    assert links.url_for(compilation, movement.lead_unit) == reverse("movement:compilations")
    final = Milestone.objects.get(movement=movement, kind=MilestoneKind.FINAL)
    assert links.url_for(final.deadline, movement.lead_unit).endswith(f"milestone={final.pk}")

    household_services.ensure_period(2025)
    period = ReviewPeriod.objects.get(year=2025)
    url = links.url_for(period, people.song_an)
    assert url == f"{reverse('households:progress')}?unit={people.song_an.pk}&year=2025"
    page = client.get(url)
    assert page.status_code == 200 and page.context["unit"] == people.song_an

    other = Deadline.objects.create(
        kind=DeadlineKind.OTHER, title="Báo cáo đột xuất", due_on=date(2025, 12, 1), action=Action.REPORT
    )
    assert links.url_for(other, people.song_an) == reverse("reports:home")


def test_the_summary_reminder_opens_the_years_summary_once_opened(tree, movement, make_user, client):
    people = People(tree, make_user, movement)
    deadline = Milestone.objects.get(movement=movement, kind=MilestoneKind.SUMMARY, deadline__year=2025).deadline
    assert links.url_for(deadline, movement.lead_unit) == reverse("reports:summaries")

    summary = summary_services.open_summary(user=people.dolisa, movement=movement, year=2025, now=at(2025, 11, 20))
    url = links.url_for(deadline, movement.lead_unit)
    assert url == summary.get_absolute_url()
    client.force_login(people.dolisa)
    assert client.get(url).status_code == 200
