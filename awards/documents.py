"""The awards' official documents (Decree 30 layout, rendered by the worker through `documents`): DOLISA's proposal
with its list of nominees (TTr), the Chairman's decision with its annex of awardees and bonus amounts (QĐ-UBND),
and the list for printing the certificates. Each renders one record (its `subject`) and is dated, headed and
signed from what the record stores, so the same decision always renders the same content."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from common.text import slug
from documents import kinds
from documents.issuers import document_date, issuer_for, signature_for

from .decisions.selectors import head_names
from .decisions.services import DECISION_TYPE, PROPOSAL_TYPE
from .models import Decision, NomineeKind, Proposal

PROPOSAL = "award_proposal"
DECISION = "award_decision"
CERTIFICATES = "award_certificates"

# The annex lists collectives, then individuals, then families (the order of Law 06/2022 art. 74).
KIND_ORDER = (NomineeKind.COLLECTIVE, NomineeKind.INDIVIDUAL, NomineeKind.FAMILY)
KIND_HEADINGS = {
    NomineeKind.COLLECTIVE: "Tập thể",
    NomineeKind.INDIVIDUAL: "Cá nhân",
    NomineeKind.FAMILY: "Hộ gia đình",
}
ROMAN = ("I", "II", "III")

COMMENDATION_LAW_2022 = date(2024, 1, 1)
DECREE_152 = date(2025, 7, 1)
LOCAL_GOVERNMENT_LAW_2025 = date(2025, 6, 16)


def money(amount):
    """5270000 -> '5.270.000' (Vietnamese grouping, whatever the server's locale)."""
    return f"{amount:,}".replace(",", ".")


def legal_basis(day):
    """The "Căn cứ" lines of a decision signed on `day`: the local government law and the commendation law with the
    decree detailing it, as in force that day."""
    if day >= LOCAL_GOVERNMENT_LAW_2025:
        government = "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"
    else:
        government = (
            "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của "
            "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019"
        )
    if day < COMMENDATION_LAW_2022:
        law = (
            "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều của Luật Thi "
            "đua, Khen thưởng ngày 16 tháng 11 năm 2013"
        )
        decree = "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết thi hành "
        decree += "một số điều của Luật Thi đua, Khen thưởng"
    else:
        law = "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
        if day < DECREE_152:
            decree = "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ"
        else:
            decree = "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ"
        decree += " quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng"
    return [government, law, decree]


@dataclass(frozen=True)
class Row:
    number: int
    name: str
    detail: str
    amount: str


@dataclass(frozen=True)
class Group:
    heading: str
    rows: list


def _printed_name(kind, name):
    return f"Hộ gia đình ông (bà) {name}" if kind == NomineeKind.FAMILY else name


def _groups(items, detail, amount=None):
    """Number the items (kind, name, …) within their kind, in KIND_ORDER, each group headed "I. Tập thể" …"""
    groups = []
    by_kind = {kind: [item for item in items if item.kind == kind] for kind in KIND_ORDER}
    for kind in KIND_ORDER:
        found = by_kind[kind]
        if not found:
            continue
        rows = [
            Row(i, _printed_name(kind, item.name), detail(item), money(amount(item)) if amount else "")
            for i, item in enumerate(found, start=1)
        ]
        groups.append(Group(f"{ROMAN[len(groups)]}. {KIND_HEADINGS[kind]} ({len(rows)})", rows))
    return groups


def _person_detail(position, unit_name):
    return ", ".join(part for part in (position, unit_name) if part)


@dataclass(frozen=True)
class Listed:
    kind: str
    name: str
    position: str
    unit_name: str


def proposal_context(unit, day, subject):
    proposal = Proposal.objects.select_related("occasion__movement", "issuer").get(pk=subject)
    nominees = proposal.nominees.select_related("nomination__unit", "unit", "household", "award_type").order_by(
        "nomination__unit__path", "pk"
    )
    nominees = list(nominees)
    heads = head_names(nominees)
    listed = [
        Listed(
            n.kind,
            n.unit.name if n.kind == NomineeKind.COLLECTIVE else (n.full_name or heads.get(n.household_id, "")),
            n.position,
            n.nomination.unit.name,
        )
        for n in nominees
    ]
    return {
        "proposal": proposal,
        "movement": proposal.occasion.movement,
        "groups": _groups(listed, lambda item: _person_detail(item.position, item.unit_name)),
        "count": len(listed),
    }


def _decision(subject):
    return Decision.objects.select_related("occasion__movement", "issuer", "proposal__issuer").get(pk=subject)


def _awards(decision):
    return list(
        decision.awards.select_related("unit")
        .only("kind", "name", "position", "unit__name", "bonus")
        .order_by("unit__path", "pk")
    )


def _decision_frame(decision):
    issuer = issuer_for(decision.issuer, decision.signed_on)
    deputy = decision.signer_title.strip().lower().startswith("phó")
    return {
        "decision": decision,
        "movement": decision.occasion.movement,
        "issuer": issuer,
        "dateline": document_date(issuer.place, decision.signed_on),
        "signature": signature_for(issuer, deputy=deputy, signer=decision.signer),
    }


def _award_detail(award):
    if award.kind == NomineeKind.COLLECTIVE:
        return ""
    return _person_detail(award.position, award.unit.name)


def decision_context(unit, day, subject):
    decision = _decision(subject)
    awards = _awards(decision)
    counts = {kind: sum(1 for a in awards if a.kind == kind) for kind in KIND_ORDER}
    proposal = decision.proposal
    proposal_issuer = issuer_for(proposal.issuer, proposal.issued_on)
    return {
        **_decision_frame(decision),
        "basis": legal_basis(decision.signed_on),
        "proposal": proposal,
        "proposal_number": f"{proposal.number}/TTr-{proposal_issuer.abbreviation}",
        "proposal_body": proposal.issuer.name,
        "counts": [(count, KIND_HEADINGS[kind].lower()) for kind, count in counts.items() if count],
        "groups": _groups(awards, _award_detail, lambda award: award.bonus),
        "total": money(sum(award.bonus for award in awards)),
        "awarded": len(awards),
    }


def certificates_context(unit, day, subject):
    decision = _decision(subject)
    awards = _awards(decision)
    return {
        **_decision_frame(decision),
        "groups": _groups(awards, _award_detail),
        "awarded": len(awards),
    }


def _proposal_filename(unit, day, subject):
    return f"to-trinh-khen-thuong-{subject}-{day:%Y%m%d}.pdf"


def _decision_filename(prefix):
    def filename(unit, day, subject):
        return f"{prefix}-{subject}-{slug(unit.name)}-{day:%Y%m%d}.pdf"

    return filename


def register():
    kinds.register(
        PROPOSAL,
        label=_("DOLISA's proposal of nominees"),
        template="awards/decree30/proposal.html",
        type_code=PROPOSAL_TYPE,
        context=proposal_context,
        filename=_proposal_filename,
        with_subject=True,
    )
    kinds.register(
        DECISION,
        label=_("Decision awarding the Bằng khen"),
        template="awards/decree30/decision.html",
        type_code=DECISION_TYPE,
        context=decision_context,
        filename=_decision_filename("quyet-dinh-khen-thuong"),
        with_subject=True,
    )
    kinds.register(
        CERTIFICATES,
        label=_("List for printing the certificates"),
        template="awards/decree30/certificates.html",
        type_code=DECISION_TYPE,
        context=certificates_context,
        filename=_decision_filename("danh-sach-in-bang-khen"),
        with_subject=True,
    )
