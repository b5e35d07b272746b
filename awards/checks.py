"""The checks on a nominee, run when it is entered and again at each step forward: the same person, unit or
household nominated twice for the occasion or already awarded for it in the award registry; the quota of its unit
and award type (on submission and on DOLISA's selection); claims the records contradict. Each finding has a code,
a message in the site's language and a severity: `block` refuses the step, `warn` is shown to the next reader.
The findings of the last run are kept on the nominee (`flags`)."""

from django.db.models import Q
from django.utils.translation import gettext as _

from deadlines.services import in_site_language
from households.models import PovertyClass, Review
from movement.selectors.measures import MEASURES

from . import rules
from .models import Award, Nominee, NomineeKind, NomineeState, Quota

BLOCK = "block"
WARN = "warn"

# Nominees out of the running: they neither make a duplicate nor count against a quota.
OUT = (NomineeState.REJECTED, NomineeState.INELIGIBLE)
# Nominees that do not count against the quota (a returned one counts again when it is submitted).
NOT_COUNTED = (*OUT, NomineeState.RETURNED)


def _finding(code, message, severity):
    return {"code": code, "message": message, "severity": severity}


def _same_person(nominee):
    """The nominees or awards naming the same person, unit or household as `nominee` (a Q on both models: their
    columns share names, except the collective's unit)."""
    if nominee.kind == NomineeKind.COLLECTIVE:
        return Q(kind=NomineeKind.COLLECTIVE, unit_id=nominee.unit_id)
    if nominee.kind == NomineeKind.FAMILY and nominee.household_id:
        return Q(household_id=nominee.household_id)
    folded, birth_year = rules.person_key(nominee.full_name, nominee.birth_year)
    same = Q(kind=nominee.kind, name_folded=folded, birth_year=birth_year)
    if nominee.cccd:
        same |= Q(cccd=nominee.cccd)
    return same


def duplicates(nominee, occasion):
    """Findings for the same person, unit or household nominated again for the occasion or already awarded for it
    (two queries; `nominee` may be unsaved, as an import checks a row). Each finding names the other list's unit
    (`unit_id`, None for the registry)."""
    found = []
    same = _same_person(nominee)
    others = Nominee.objects.filter(same, nomination__occasion=occasion).exclude(state__in=OUT)
    awarded = Award.objects.filter(same, occasion=occasion)
    if nominee.pk is not None:
        others, awarded = others.exclude(pk=nominee.pk), awarded.exclude(nominee_id=nominee.pk)
    others = others.select_related("nomination__unit").order_by("pk").first()
    if others is not None:
        found.append(
            _finding(
                "duplicate",
                _("“%(name)s” is already nominated for %(occasion)s by %(unit)s.")
                % {"name": nominee.display_name, "occasion": occasion.name, "unit": others.nomination.unit.name},
                BLOCK,
            )
            | {"unit_id": others.nomination.unit_id}
        )
    awarded = awarded.first()
    if awarded is not None:
        found.append(
            _finding(
                "awarded",
                _("“%(name)s” has already been awarded for %(occasion)s.")
                % {"name": nominee.display_name, "occasion": occasion.name},
                BLOCK,
            )
        )
    return found


def quota_limits(unit, occasion, award_type_ids):
    """The unit's quota at the occasion for each of these award types (its own quota, else the one for every unit;
    absent when there is none), in one query."""
    rows = Quota.objects.filter(
        Q(unit=unit) | Q(unit__isnull=True), occasion=occasion, award_type_id__in=award_type_ids
    ).values_list("award_type_id", "unit_id", "limit")
    every_unit = {award_type: limit for award_type, unit_id, limit in rows if unit_id is None}
    own = {award_type: limit for award_type, unit_id, limit in rows if unit_id is not None}
    return every_unit | own


def quota(nominee, occasion, *, moving=(), limits=None):
    """A finding when the nominee lies past its unit's quota for its award type (the unit's own quota, else the
    one for every unit): the unit's nominees of that type in the running, in the order they were entered, and
    those moving now. Past the quota, a recorded justification turns the refusal into a warning. `limits` are the
    quotas already read by quota_limits (read here when not given)."""
    unit = nominee.nomination.unit
    if limits is None:
        limits = quota_limits(unit, occasion, [nominee.award_type_id])
    limit = limits.get(nominee.award_type_id)
    if limit is None:
        return []
    entered_before = Nominee.objects.filter(
        ~Q(state__in=NOT_COUNTED) | Q(pk__in=moving),
        nomination__occasion=occasion,
        nomination__unit=unit,
        award_type_id=nominee.award_type_id,
        pk__lt=nominee.pk,
    ).count()
    if entered_before < limit:
        return []
    values = {"limit": limit, "award": nominee.award_type.name, "unit": unit.name}
    if nominee.justification:
        return [
            _finding(
                "quota",
                _("Beyond the quota of %(limit)s for “%(award)s” of %(unit)s; justification: %(why)s")
                % {**values, "why": nominee.justification},
                WARN,
            )
        ]
    return [
        _finding(
            "quota",
            _(
                "%(unit)s has a quota of %(limit)s for “%(award)s”: this nominee goes past it. Record a justification "
                "to go on."
            )
            % values,
            BLOCK,
        )
    ]


def family_history(nominee, occasion):
    """A registry family's recognised classes up to the occasion's year, and a finding when the registry still has
    it poor in its last year (a family is nominated for escaping poverty)."""
    classes = [
        {"year": year, "class": klass}
        for year, klass in Review.objects.filter(household_id=nominee.household_id, year__lte=occasion.year)
        .exclude(recognised_class="")
        .order_by("year")
        .values_list("year", "recognised_class")
    ]
    if classes and classes[-1]["class"] == PovertyClass.POOR:
        message = _("The registry still has household %(code)s poor in %(year)s.") % {
            "code": nominee.household.code,
            "year": classes[-1]["year"],
        }
        return classes, [_finding("still_poor", message, WARN)]
    return classes, []


def evidence(nominee, occasion):
    """Compare each claim against the records: the figure of its criterion's measure for the nominee's unit (the
    collective, else the nominating unit) in the occasion's year; a claimed figure above it is contradicted; a
    registry family's class history goes beside each of its claims. Saves each claim's evidence and returns the
    findings."""
    found, classes = [], None
    if nominee.kind == NomineeKind.FAMILY and nominee.household_id:
        classes, found = family_history(nominee, occasion)
    unit = nominee.unit if nominee.kind == NomineeKind.COLLECTIVE else nominee.nomination.unit
    for claim in nominee.claims.select_related("criterion"):
        measure = claim.criterion.measure
        record = {}
        if measure:
            figure = MEASURES[measure](unit, occasion.year)
            record = {"measure": measure, "unit": unit.name, "year": occasion.year, "figure": figure}
        if classes is not None:
            record["classes"] = classes
        contradicted = bool(
            measure
            and claim.claimed_value is not None
            and record["figure"] is not None
            and claim.claimed_value > record["figure"]
        )
        if contradicted:
            found.append(
                _finding(
                    "contradicted",
                    _(
                        "The claim “%(criterion)s” states %(claimed)s but the records of %(unit)s show %(figure)s "
                        "for %(year)s."
                    )
                    % {
                        "criterion": str(claim.criterion),
                        "claimed": claim.claimed_value,
                        "unit": unit.name,
                        "figure": record["figure"],
                        "year": occasion.year,
                    },
                    WARN,
                )
            )
        if claim.evidence != record or claim.contradicted != contradicted:
            claim.evidence, claim.contradicted = record, contradicted
            claim.save(update_fields=["evidence", "contradicted"])
    return found


def run(nominee, *, with_quota=False, moving=(), limits=None):
    """Every check on `nominee` (the quota only on submission and selection, from `limits` when the caller read
    them); the findings are saved on it."""
    occasion = nominee.nomination.occasion
    with in_site_language():
        found = duplicates(nominee, occasion) + evidence(nominee, occasion)
        if with_quota:
            found += quota(nominee, occasion, moving=moving, limits=limits)
    Nominee.objects.filter(pk=nominee.pk).update(flags=found)
    nominee.flags = found
    return found


def blocking(findings):
    return [f for f in findings if f["severity"] == BLOCK]
