"""The movement as data: Plan 119 loads from its file, its criteria are the plan's own words, and its milestones are
deadline rows owed by the right units."""

import re
from datetime import date

from deadlines import selectors as deadline_selectors
from movement import seed
from movement.models import Criterion, Milestone, MilestoneKind, Movement, ParticipantGroup, Target
from units.choices import UnitKind

SHARED_PLAN_COPY = "plan-119-KH-UBND-2022.md"


def _plan_criteria(text):
    """Section IV.2 of the plan, as (letter, title, [items]) read straight from its text."""
    section = text[text.index("## 2. Tiêu chuẩn thi đua") : text.index("### **3. Hình thức khen thưởng**")]
    groups = []
    for block in re.split(r"\n(?=[a-gđ]\) )", section)[1:]:
        head, _, body = block.partition("\n")
        letter, title = head.split(") ", 1)
        items = [line.strip().removeprefix("- ") for line in body.split("\n") if line.strip()]
        groups.append((letter, title.rstrip(":"), items))
    return groups


def test_criteria_are_the_plans_text(movement):
    expected = _plan_criteria(seed.plan_text(seed.read()))
    assert [letter for letter, _, _ in expected] == ["a", "b", "c", "d", "đ", "e", "g"]
    seeded = [
        (group.letter, group.title, [c.text for c in group.criteria.order_by("order")])
        for group in ParticipantGroup.objects.filter(movement=movement).order_by("order")
    ]
    assert seeded == expected
    assert Criterion.objects.filter(group__movement=movement).count() == 17
    assert "Phân đấu giảm tỷ lệ hộ nghèo" in Criterion.objects.get(group__letter="b", order=4).text


def test_the_movement_and_its_targets(movement, tree):
    assert movement.plan_number == "119/KH-UBND"
    assert movement.plan_date == date(2022, 9, 7)
    assert "666/QĐ-TTg" in movement.basis
    assert list(movement.years) == [2021, 2022, 2023, 2024, 2025]
    assert movement.lead_unit == tree.participant("Sở LĐ-TB&XH")
    target = Target.objects.get(movement=movement, unit=movement.province)
    assert (target.yearly_min, target.yearly_max, target.final_reduction) == (1000, 1500, None)
    assert (movement.final_share_numerator, movement.final_share_denominator) == (1, 3)


def test_loading_twice_changes_nothing(movement):
    counts = (Movement.objects.count(), Criterion.objects.count(), Milestone.objects.count())
    again = seed.load_movement(seed.read())
    assert not again.created
    assert (Movement.objects.count(), Criterion.objects.count(), Milestone.objects.count()) == counts


def test_a_target_set_since_survives_a_reload(movement):
    Target.objects.filter(movement=movement, unit=movement.province).update(yearly_min=1100)
    seed.load_movement(seed.read())
    assert Target.objects.get(movement=movement, unit=movement.province).yearly_min == 1100


def test_milestones_are_owed_by_the_right_units(movement, tree):
    plan = Milestone.objects.get(movement=movement, key="unit-plan").deadline
    assert plan.due_on == date(2022, 9, 30)
    owing = deadline_selectors.owing_units(plan)
    assert owing.filter(kind=UnitKind.COMMUNE).count() == 260  # the 2020-2024 communes in force on 30/9/2022
    assert owing.filter(kind=UnitKind.DISTRICT).count() == 8
    assert not owing.filter(kind__in=[UnitKind.VILLAGE, UnitKind.PROVINCE]).exists()
    summary = Milestone.objects.get(movement=movement, key="summary-2024").deadline
    assert (summary.due_on, list(deadline_selectors.owing_units(summary))) == (date(2024, 11, 25), [movement.lead_unit])
    reports = Milestone.objects.filter(movement=movement, kind=MilestoneKind.UNIT_REPORT)
    assert sorted(m.deadline.due_on for m in reports) == [date(y, 11, 20) for y in range(2022, 2026)]
    halves = Milestone.objects.filter(movement=movement, kind=MilestoneKind.GOOD_PRACTICES)
    assert {(m.deadline.due_on.month, m.deadline.due_on.day) for m in halves} == {(6, 30), (12, 31)}


def test_a_second_movement_is_a_data_change(movement, tree):
    """A 2026-2030 movement is another data file: its own criteria and milestones, and the pages follow it from
    2026 while the 2021-2025 one keeps its own."""
    from movement.selectors.campaign import current_movement

    data = seed.read()
    data.update(code="vi-nguoi-ngheo-2026-2030", short_name="Vì người nghèo 2026-2030", start_year=2026, end_year=2030)
    data["baseline_year"] = 2025
    data["milestones"] = [
        {**m, "key": m["key"].replace("2025", "2030"), "due_on": m["due_on"].replace("2025", "2030")}
        for m in data["milestones"]
        if "2025" in m["due_on"]
    ]
    second = seed.load_movement(data).movement
    assert Movement.objects.count() == 2
    assert Criterion.objects.filter(group__movement=second).count() == 17
    assert Milestone.objects.filter(movement=movement).count() == 19
    assert {m.deadline.due_on.year for m in Milestone.objects.filter(movement=second)} == {2030}
    song_an = tree.commune("13249")
    assert current_movement(today=date(2025, 11, 30), unit=song_an) == movement
    assert current_movement(today=date(2027, 3, 1), unit=song_an) == second
    assert current_movement(today=date(2027, 3, 1)) == second
