"""Every write to the registry: households, members, reviews and their workflow, review periods."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import MAX_COMMENT_LENGTH, check_text, nfc
from common.workflow import Changed
from deadlines import selectors as deadline_selectors
from deadlines import services as deadline_services
from deadlines.models import DeadlineKind, ReviewPeriod
from units import policy
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from . import codes, notifications, rules, selectors, snapshots
from .models import (
    MEMBER_RECORD_FIELDS,
    Household,
    Member,
    Review,
    ReviewState,
)
from .workflow import EDITABLE_STATES, LOCKABLE_STATES, REVIEWS


class ReviewChanged(Exception):
    """Someone else saved the review after this user opened it."""


class HouseholdChanged(Exception):
    """Someone else saved the household after this user opened it."""


class MemberChanged(Exception):
    """Someone else saved (or removed) the member after this user opened it."""


# Households and members ---------------------------------------------------------------------------------


def _province_of(unit):
    return Unit.objects.get(pk=int(unit.path.split("/", 1)[0]))


def _check_village(user, village):
    if village.kind != UnitKind.VILLAGE:
        raise ValidationError({"village": _("Choose a village or residential group.")})
    policy.require(user, Action.EDIT_REGISTRY, village)


def _update_if_unchanged(instance, version, fields, changed):
    """Write `fields` of `instance` if its row is still at `version` (compare-and-swap), else raise `changed`."""
    updated = (
        type(instance)
        .objects.filter(pk=instance.pk, version=version)
        .update(**{name: getattr(instance, name) for name in fields}, version=F("version") + 1)
    )
    if not updated:
        raise changed
    instance.version = version + 1


@transaction.atomic
def create_household(*, user, village, code, address="", head):
    """Register a household with its head. `head` holds the head's Member fields.

    The code is written in its one form (households.codes) and must follow the commune's numbering.
    """
    _check_village(user, village)
    check_text(code=code, address=address)
    household = Household(
        village=village, province=_province_of(village), code=codes.normalise(code), address=nfc(address)
    )
    code_format = codes.CodeFormat.of(village.parent.code)
    if not household.code or (code_format and not code_format.matches(household.code)):
        example = selectors.next_household_code(village.parent)
        raise ValidationError({"code": codes.format_problem(household.code, code_format, example=example)})
    household.full_clean(exclude=["province"], validate_unique=False, validate_constraints=False)
    holder = (
        Household.objects.filter(province=household.province, code=household.code)
        .select_related("village__parent")
        .first()
    )
    if holder:
        raise ValidationError({"code": _code_taken(user, household.code, holder)})
    household.save()
    save_member(user=user, household=household, relation="head", **head)
    return household


@transaction.atomic
def update_household(*, user, household, village, address, version=None):
    """Move a household to another village or change its address. Raises HouseholdChanged if someone saved it
    since `version` was read (default: the version `household` was read at). The code is never changed here, so a
    household registered under another numbering keeps working. Its reviews follow it as follow_household says."""
    _check_village(user, household.village)
    check_text(address=address)
    _check_village(user, village)
    version = household.version if version is None else version
    household.village = village
    household.address = nfc(address)
    household.full_clean(exclude=["province"], validate_unique=False, validate_constraints=False)
    _update_if_unchanged(household, version, ["village", "address"], HouseholdChanged)
    follow_household(household_ids=[household.pk])
    return household


# Reviews without a recognised result: they move with their household.
_FOLLOWING_STATES = (ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED)


def follow_household(*, household_ids):
    """After households moved: their reviews without a recognised result yet (draft, submitted, returned) move to
    the household's village with it, and are finished there; recognised and locked reviews stay in the village
    that recognised them, so that the figures of that year do not change (households.figures). Returns the ids
    of the reviews moved."""
    moved = list(
        Review.objects.filter(household_id__in=household_ids, state__in=_FOLLOWING_STATES)
        .exclude(village=F("household__village"))
        .values_list("pk", flat=True)
    )
    Review.objects.filter(pk__in=moved).update(
        village=Subquery(Household.objects.filter(pk=OuterRef("household_id")).values("village")[:1])
    )
    return moved


@transaction.atomic
def archive_household(*, user, household, reason, on):
    """Archive (never delete) a household that moved away, merged or dissolved."""
    _check_village(user, household.village)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for archiving.")})
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    household.archived_at = on
    household.archive_reason = reason
    household.version = F("version") + 1
    household.save(update_fields=["archived_at", "archive_reason", "version"])
    household.refresh_from_db(fields=["version"])
    return household


@transaction.atomic
def save_member(*, user, household, member=None, version=None, **fields):
    """Add a member to a household, or change one. Text is normalised; the CCCD must be unique.

    A change raises MemberChanged if someone saved (or removed) the member since `version` was read (default:
    the version `member` was read at); nothing is saved then.

    A working capacity or schooling left empty (or, for a new member, not given) is derived from the date of
    birth (rules.member_defaults). The ethnicity is one of the 54 groups, written any common way; a value
    recorded before the list existed may stay as it is.
    """
    _check_village(user, household.village)
    version = member.version if member is not None and version is None else version
    creating = member is None
    check_text(**fields)
    member = member or Member(household=household)
    for name, value in fields.items():
        setattr(member, name, nfc(value) if isinstance(value, str) else value)
    member.cccd = rules.clean_cccd(member.cccd) or None
    problem = member.cccd and rules.cccd_format_problem(member.cccd)
    if problem:
        raise ValidationError({"cccd": problem})
    today = timezone.localdate()
    problem = member.birth_date and rules.birth_date_problem(member.birth_date, today=today)
    if problem:
        raise ValidationError({"birth_date": problem})
    if member.birth_date:
        for name, value in rules.member_defaults(member.birth_date, today=today).items():
            if not fields.get(name) and (creating or name in fields):
                setattr(member, name, value)
    _settle_ethnicity(member)
    member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
    holder = member.cccd and (
        Member.objects.filter(cccd=member.cccd).exclude(pk=member.pk).select_related("household__village").first()
    )
    if holder:
        raise ValidationError({"cccd": _cccd_taken(user, member.cccd, holder)})
    if member.relation == "head" and household.members.filter(relation="head").exclude(pk=member.pk).exists():
        raise ValidationError({"relation": _("This household already has a head.")})
    try:
        with transaction.atomic():
            if member.pk is None:
                member.save()
            else:
                _update_if_unchanged(member, version, MEMBER_RECORD_FIELDS, MemberChanged)
    except IntegrityError as exc:
        raise ValidationError(_("The member could not be saved: the data conflicts with another record.")) from exc
    return member


def _settle_ethnicity(member):
    official = rules.ethnicity_name(member.ethnicity)
    if official:
        member.ethnicity = official
        return
    recorded = Member.objects.filter(pk=member.pk).values_list("ethnicity", flat=True).first()
    if member.pk is None or member.ethnicity != recorded:
        raise ValidationError({"ethnicity": rules.ethnicity_problem(member.ethnicity)})


def _cccd_taken(user, cccd, holder):
    """The message for a CCCD another person holds: their household is named only if the user may see it."""
    household = holder.household
    visible = policy.can(user, Action.VIEW, household.village)
    return rules.cccd_taken_problem(cccd, household_code=household.code if visible else None)


def _code_taken(user, code, holder):
    """The message for a registry code another household holds: where it lives only if the user may see it."""
    village = holder.village
    visible = policy.can(user, Action.VIEW, village)
    return rules.code_taken_problem(code, place=f"{village.name}, {village.parent.name}" if visible else None)


@transaction.atomic
def remove_member(*, user, member):
    _check_village(user, member.household.village)
    if member.relation == "head" and member.household.members.count() > 1:
        raise ValidationError(_("Choose another head before removing the head of the household."))
    member.delete()


# Review periods -------------------------------------------------------------------------------------------


def ensure_period(year):
    """The review period of `year` (a deadlines row), created with the legal default (1 September - 14 December)
    if missing."""
    opens_on, closes_on = rules.default_period(year)
    period, _created = ReviewPeriod.objects.get_or_create(
        year=year, defaults={"opens_on": opens_on, "due_on": closes_on}
    )
    return period


def _check_entry_open(year, commune, today):
    period = ensure_period(year)
    problem = rules.entry_closed_problem(
        year=year,
        today=today,
        opens_on=period.opens_on,
        closes_on=period.closes_on,
        reopened_until=deadline_selectors.reopened_until(period, commune, today),
    )
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def reopen_period(*, user, year, commune, until, reason, today=None):
    """Reopen a closed period for one commune until a date; locked reviews return to their earlier state."""
    policy.require(user, Action.MANAGE, commune)
    reopening = deadline_services.reopen(
        user=user, deadline=ensure_period(year), unit=commune, until=until, reason=reason, today=today
    )
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH last_lock AS (
                SELECT DISTINCT ON (t.review_id) t.review_id, t.from_state
                FROM households_reviewtransition t
                JOIN households_review r ON r.id = t.review_id
                JOIN units_unit v ON v.id = r.village_id
                WHERE t.to_state = 'locked' AND r.state = 'locked' AND r.year = %(year)s AND v.parent_id = %(commune)s
                ORDER BY t.review_id, t.at DESC, t.id DESC
            ), logged AS (
                INSERT INTO households_reviewtransition (review_id, from_state, to_state, by_id, at, comment)
                SELECT review_id, 'locked', from_state, %(user)s, %(now)s, %(reason)s FROM last_lock
            )
            UPDATE households_review r SET state = l.from_state, version = r.version + 1
            FROM last_lock l WHERE r.id = l.review_id
            """,
            {"year": year, "commune": commune.pk, "user": user.pk, "reason": reopening.reason, "now": timezone.now()},
        )
    return reopening


@transaction.atomic
def lock_closed_periods(*, today):
    """Lock every review of a period that closed before `today`, except in communes reopened until today.

    Idempotent: locked reviews are not touched again. Returns the number of reviews locked.
    """
    years = list(ReviewPeriod.objects.filter(due_on__lt=today).values_list("year", flat=True))
    if not years:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH due AS (
                SELECT r.id, r.state FROM households_review r
                JOIN units_unit v ON v.id = r.village_id
                JOIN deadlines_deadline p ON p.year = r.year AND p.kind = %(kind)s
                WHERE r.year = ANY(%(years)s) AND r.state = ANY(%(states)s)
                  AND NOT EXISTS (
                      SELECT 1 FROM deadlines_reopening o
                      WHERE o.deadline_id = p.id AND o.unit_id = v.parent_id AND o.until >= %(today)s)
                FOR UPDATE OF r
            ), logged AS (
                INSERT INTO households_reviewtransition (review_id, from_state, to_state, by_id, at, comment)
                SELECT id, state, 'locked', NULL, %(now)s, '' FROM due
            )
            UPDATE households_review r SET state = 'locked', version = r.version + 1 FROM due WHERE r.id = due.id
            """,
            {
                "years": years,
                "kind": DeadlineKind.REVIEW_PERIOD,
                "states": sorted(LOCKABLE_STATES),
                "today": today,
                "now": timezone.now(),
            },
        )
        return cursor.rowcount


# Reviews --------------------------------------------------------------------------------------------------


def _commune_of(household):
    return household.village.parent


@transaction.atomic
def start_review(*, user, household, year, today):
    """Open this year's review of a household, pre-filled from its latest earlier review."""
    policy.require(user, Action.EDIT_REGISTRY, household.village)
    if not household.is_active:
        raise ValidationError(rules.start_problem(archived=True, members=None))
    existing = Review.objects.filter(household=household, year=year).first()
    if existing:
        return existing
    standard = selectors.standard_for(year)
    _check_entry_open(year, _commune_of(household), today)
    members = household.members.count()
    problem = rules.start_problem(archived=False, members=members)
    if problem:
        raise ValidationError(problem)
    previous = household.reviews.filter(year__lt=year).order_by("-year").first()
    numbers = set(standard.indicators.values_list("number", flat=True))
    review = Review(
        household=household,
        village=household.village,
        year=year,
        standard=standard,
        is_urban=household.village.is_urban,
        member_count=members,
        updated_by=user,
    )
    if previous:
        review.income = previous.income
        review.deprived = sorted(set(previous.deprived) & numbers)
        for flag in ("no_working_capacity", "social_protection", "meritorious_service", "ethnic_minority"):
            setattr(review, flag, getattr(previous, flag))
    else:
        review.income = 0
    review.computed_class = rules.classify(
        income=review.income, is_urban=review.is_urban, deprivations=len(review.deprived), standard=standard
    )
    review.save()
    if previous and rules.keeps_causes(computed=review.computed_class, class_override=""):
        review.causes.set(previous.causes.all())
    return review


def _validated_answers(review, income, income_confirmed, deprived, class_override, class_reason):
    errors = {}
    problem = rules.income_problem(income) or (not income_confirmed and rules.low_income_problem(income))
    if problem:
        errors["income"] = problem
    problem = rules.indicator_problem(deprived, review.standard.indicators.values_list("number", flat=True))
    if problem:
        errors["deprived"] = problem
    problem = rules.override_problem(class_override, class_reason)
    if problem:
        errors[problem[0]] = problem[1]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_review(
    *,
    user,
    review,
    version,
    today,
    income,
    deprived,
    income_confirmed=False,
    causes=(),
    class_override="",
    class_reason="",
    no_working_capacity=False,
    social_protection=False,
    meritorious_service=False,
    ethnic_minority=False,
):
    """Save the officer's answers. Raises ReviewChanged if someone saved it since `version` was read.

    A very low income (rules.low_income_problem) is saved only `income_confirmed`; causes of poverty given for
    a household that is not poor are refused, never dropped.
    """
    policy.require(user, Action.EDIT_REGISTRY, review.household.village)
    check_text(class_reason=class_reason, max_length=MAX_COMMENT_LENGTH)
    problem = rules.frozen_problem(review.state, review.get_state_display())
    if problem:
        raise ValidationError(problem)
    _check_entry_open(review.year, _commune_of(review.household), today)
    deprived = sorted(set(deprived))
    _validated_answers(review, income, income_confirmed, deprived, class_override, class_reason)
    computed = rules.classify(
        income=income, is_urban=review.is_urban, deprivations=len(deprived), standard=review.standard
    )
    class_override, class_reason = rules.settle_override(
        computed=computed, class_override=class_override, class_reason=class_reason
    )
    causes = list(causes)
    problem = rules.causes_problem(causes, computed=computed, class_override=class_override)
    if problem:
        raise ValidationError({"causes": problem})
    updated = Review.objects.filter(pk=review.pk, version=version, state__in=EDITABLE_STATES).update(
        income=income,
        deprived=deprived,
        computed_class=computed,
        class_override=class_override,
        class_reason=class_reason,
        no_working_capacity=no_working_capacity,
        social_protection=social_protection,
        meritorious_service=meritorious_service,
        ethnic_minority=ethnic_minority,
        member_count=max(review.household.members.count(), 1),
        version=F("version") + 1,
        updated_by=user,
    )
    if not updated:
        raise ReviewChanged
    review.refresh_from_db()
    review.causes.set(causes)
    return review


def _move(*, user, reviews, name, comment, today):
    """Move the selected reviews that are in a source state of step `name`, by one UPDATE with one log row each;
    returns the ids moved. Refused as a whole when the user may not act on one of them or its commune's entry is
    closed; ReviewChanged when one was moved by someone else meanwhile."""
    checked = set()  # (year, commune): a page of reviews shares one or two, each checked once

    def entry_open(review):
        key = (review.year, review.household.village.parent_id)
        if key not in checked:
            _check_entry_open(review.year, review.household.village.parent, today)
            checked.add(key)

    try:
        return REVIEWS.apply(
            user=user,
            objects=reviews.select_related("household__village__parent"),
            name=name,
            comment=comment,
            before=entry_open,
        )
    except Changed:
        raise ReviewChanged from None


def _one(name, move_all, *, user, review, **kwargs):
    """One review through its bulk step, refused with a message when it cannot take the step now."""
    REVIEWS.check(user, review, name)
    move_all(user=user, reviews=Review.objects.filter(pk=review.pk), **kwargs)
    review.refresh_from_db()
    return review


@transaction.atomic
def submit_reviews(*, user, reviews, today, comment=""):
    """Submit the selected drafts and returned reviews to the commune leader; returns (moved, skipped)."""
    total = reviews.count()
    moved = _move(user=user, reviews=reviews, name="submit", comment=comment, today=today)
    return len(moved), total - len(moved)


@transaction.atomic
def return_reviews(*, user, reviews, today, comment):
    """Return the selected submitted reviews to their officers with what must be corrected (the comment is
    required); returns (moved, skipped). Every return, of one review or many, goes through here."""
    total = reviews.count()
    moved = _move(user=user, reviews=reviews, name="return", comment=comment, today=today)
    returned = Review.objects.filter(pk__in=moved).select_related("household__village__parent")
    notifications.notify_returned(reviews=returned, by=user, comment=nfc(comment))
    return len(moved), total - len(moved)


@transaction.atomic
def recognise_reviews(*, user, reviews, today, comment=""):
    """Recognise the selected submitted reviews with their proposed class; returns (moved, skipped).

    The one write of recognised results (a recognised review is never edited again): the snapshots of the years
    they belong to, and of later years, go stale (households.snapshots)."""
    total = reviews.count()
    moved = _move(user=user, reviews=reviews, name="recognise", comment=comment, today=today)
    snapshots.mark_stale(reviews=moved)
    return len(moved), total - len(moved)


@transaction.atomic
def submit_review(*, user, review, today, comment=""):
    """Submit one draft or returned review to the commune leader."""
    return _one("submit", submit_reviews, user=user, review=review, today=today, comment=comment)


@transaction.atomic
def return_review(*, user, review, today, comment):
    """Return one submitted review to its officer with what must be corrected."""
    return _one("return", return_reviews, user=user, review=review, today=today, comment=comment)


@transaction.atomic
def recognise_review(*, user, review, today, comment=""):
    """Recognise one submitted review with its proposed class."""
    return _one("recognise", recognise_reviews, user=user, review=review, today=today, comment=comment)


_ONE = {"submit": submit_review, "return": return_review, "recognise": recognise_review}
_MANY = {"submit": submit_reviews, "return": return_reviews, "recognise": recognise_reviews}


def _named(functions, name):
    if REVIEWS.user_step(name) is None:
        REVIEWS.transition(name)  # an unknown name is refused with a message
        raise PermissionDenied  # a step only the system takes
    return functions[name]


def transition(*, user, review, name, today, comment=""):
    """Submit, return (with a comment) or recognise one review, by the step's name (the pages' entry point)."""
    return _named(_ONE, name)(user=user, review=review, today=today, comment=comment)


def bulk_transition(*, user, reviews, name, today, comment=""):
    """Apply a step to every selected review that can take it, by the step's name; returns (moved, skipped)."""
    return _named(_MANY, name)(user=user, reviews=reviews, today=today, comment=comment)


# Snapshots of the figures ------------------------------------------------------------------------------------


def may_request_figures(user):
    """Whether the user may have a year's figures computed now: DOLISA (who compiles) and administrators."""
    return policy.can_anywhere(user, Action.COMPILE) or policy.can_anywhere(user, Action.MANAGE)


def request_figures(*, user, year, today):
    """Have the worker compute the snapshot of `year`'s figures (households.snapshots), once this request commits.
    Only for a year whose review period has opened."""
    from .tasks import aggregate_figures

    if not may_request_figures(user):
        raise PermissionDenied
    if not ReviewPeriod.objects.filter(year=year, opens_on__lte=today).exists():
        raise ValidationError(_("The review of %(year)s has not started: it has no figures yet.") % {"year": year})
    transaction.on_commit(lambda: aggregate_figures.delay(year))
