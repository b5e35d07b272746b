"""Shared pieces of the summary tests: the people (DOLISA, the Emulation Board and others), the narrative, data in
the ledger and the good practices, and the dates around the 25 November deadline."""

import unicodedata
from datetime import date

from movement.models import GoodPractice, PracticeState, Support, SupportKind
from reports.summaries import services
from tests.reports.unit_report_helpers import People, at
from units.roles import Role

NOV_24 = at(2025, 11, 24)

NARRATIVE = {
    "direction": unicodedata.normalize("NFD", "Sở đã ban hành Kế hoạch số 12/KH-SLĐTBXH hướng dẫn các đơn vị."),
    "results": "Toàn tỉnh giảm hộ nghèo, vượt chỉ tiêu Ủy ban nhân dân tỉnh giao.",
    "practices": "Mô hình “Tổ tiết kiệm vì phụ nữ nghèo” được nhân rộng ở nhiều xã.",
    "difficulties": "Một số hộ nghèo không còn khả năng lao động, nguồn lực xã hội hóa còn hạn chế.",
    "proposals": "Đề nghị Ủy ban nhân dân tỉnh khen thưởng các tập thể có thành tích xuất sắc.",
}


class SummaryPeople(People):
    """The unit reports' people, with a member of the Emulation Board and an administrator."""

    def __init__(self, tree, make_user, movement):
        super().__init__(tree, make_user, movement)
        self.board_unit = tree.participant("Ban TĐKT")
        self.board = make_user(
            Role.EMULATION_BOARD, self.board_unit, username="bantdkt.thamdinh", last_name="Đỗ Thị", first_name="Hằng"
        )
        self.admin = make_user(Role.ADMIN, tree.province, username="quantri.tinh")


def record_support_and_practices(people, movement):
    """Support from the Women's Union and Vũ Thư, and two practices proposed in 2025 (one selected)."""
    Support.objects.create(
        giver=people.women,
        commune=people.song_an,
        kind=SupportKind.HOUSING,
        value=80_000_000,
        given_on=date(2025, 2, 5),
        recorded_by=people.union,
    )
    Support.objects.create(
        giver=people.women,
        commune=people.vu_hoi,
        kind=SupportKind.TRAINING,
        value=3_000_000,
        given_on=date(2025, 6, 1),
        recorded_by=people.union,
    )
    Support.objects.create(
        giver=people.vu_thu,
        commune=people.vu_hoi,
        kind=SupportKind.CASH,
        value=5_000_000,
        given_on=date(2025, 9, 9),
        recorded_by=people.district,
    )
    Support.objects.create(  # another year: not counted
        giver=people.vu_thu,
        commune=people.vu_hoi,
        kind=SupportKind.CASH,
        value=7_000_000,
        given_on=date(2024, 9, 9),
        recorded_by=people.district,
    )
    common = {
        "movement": movement,
        "unit": people.women,
        "kind": "model",
        "description": "Cho vay vốn quay vòng.",
        "results": "12 hộ thoát nghèo.",
        "created_by": people.union,
        "proposed_at": at(2025, 5, 5),
    }
    GoodPractice.objects.create(
        title="Tổ tiết kiệm vì phụ nữ nghèo",
        state=PracticeState.SELECTED,
        selected_at=at(2025, 6, 20),
        households_out_of_poverty=12,
        **common,
    )
    GoodPractice.objects.create(title="Mái ấm tình thương", state=PracticeState.PROPOSED, **common)


def open_summary(people, movement, now=NOV_24):
    return services.open_summary(user=people.dolisa, movement=movement, year=2025, now=now)


def submit(summary, people, now=NOV_24, sections=NARRATIVE):
    return services.submit_summary(user=people.dolisa, summary=summary, sections=sections, now=now)
