"""What a commune officer types is saved only as meant: amounts, citizen IDs, causes of poverty, members' working
capacity, schooling and ethnicity, and the order members are listed in."""

import importlib
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from households import rules, selectors, services
from households.forms import MemberForm, ReviewForm
from households.models import LOW_MONTHLY_INCOME, Member, PovertyCause, Review, Schooling, WorkingCapacity
from households.reference import ETHNIC_GROUPS
from imports import normalise
from imports.importers.reviews import parse_income

from .conftest import head

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
OCTOBER_2025 = datetime(2025, 10, 1, 9, tzinfo=HANOI)
TODAY = OCTOBER_2025.date()
INCOME_EXAMPLE = "Nhập thu nhập như 1.500.000 hoặc 1500000"
CONFIRM_LABEL = "Tôi xác nhận thu nhập này đúng"
CAUSES_REFUSED = "Nguyên nhân nghèo chỉ ghi cho hộ nghèo"
CCCD_LENGTH = "Số căn cước công dân (CCCD) phải gồm đúng 12 chữ số."


@pytest.fixture(autouse=True)
def october_2025():
    """The 2025 review period is open; ages are counted on 01/10/2025."""
    with time_machine.travel(OCTOBER_2025, tick=False):
        yield


@pytest.fixture
def review(officer, household):
    return services.start_review(user=officer, household=household, year=2025, today=TODAY)


def vi_errors(exc, field):
    with translation.override("vi"):
        return " ".join(str(m) for m in exc.value.message_dict[field])


# 1. Income ---------------------------------------------------------------------------------------------------

WRITTEN_AS_MEANT = [
    ("1500000", 1_500_000),
    ("1.500.000", 1_500_000),
    ("1 500 000", 1_500_000),
    ("1\u00a0500\u00a0000", 1_500_000),  # no-break spaces, as a word processor groups digits
    ("１５０００００", 1_500_000),  # full-width digits from a Vietnamese input method
    ("１.５００.０００", 1_500_000),
    ("1.500.000 đ", 1_500_000),
    ("1.500.000đ", 1_500_000),
    (unicodedata.normalize("NFD", "1.500.000 đồng"), 1_500_000),
    ("1.500.000 VND", 1_500_000),
    ("  850.000  ", 850_000),
    ("12.000.000", 12_000_000),
    ("1.500", 1_500),  # unambiguous in Vietnamese; the low-income confirmation catches "thousands"
    ("0", 0),
]
# Each of these was read as another number, orders of magnitude away ("1,5" as 15, "1.500.00" as 150000).
AMBIGUOUS = ["1,5", "1.500,5", "1.500.00", "1.50.000", "1,500,000", "1500000,00", "1.500 000", "1..500", "1.5 triệu"]


@pytest.mark.parametrize(("typed", "amount"), WRITTEN_AS_MEANT)
def test_amounts_written_as_vietnamese_write_them_are_read(typed, amount):
    assert rules.parse_money(typed) == amount


@pytest.mark.parametrize("typed", [*AMBIGUOUS, "abc", "", "1 500.000", "1.5000"])
def test_amounts_that_could_mean_another_number_are_refused(typed):
    assert rules.parse_money(typed) is None


@pytest.mark.parametrize("typed", AMBIGUOUS)
def test_the_review_form_refuses_an_ambiguous_income_with_an_example(standard, typed):
    form = ReviewForm({"version": 1, "income": typed}, standard=standard)
    with translation.override("vi"):
        assert not form.is_valid()
        assert INCOME_EXAMPLE in " ".join(form.errors["income"])


@pytest.mark.parametrize("typed", [text for text, _amount in WRITTEN_AS_MEANT] + AMBIGUOUS + ["-200.000", "abc"])
def test_the_form_and_the_import_read_an_income_alike(standard, typed):
    form = ReviewForm({"version": 1, "income": typed}, standard=standard)
    form.is_valid()
    try:
        imported = parse_income(typed)[0]
    except normalise.Invalid:
        imported = None
    assert form.cleaned_data.get("income") == imported


def test_a_very_low_income_is_saved_only_once_confirmed(officer, review):
    for income in (0, 1_500, LOW_MONTHLY_INCOME - 1):
        with translation.override("vi"), pytest.raises(ValidationError) as exc:
            services.save_review(
                user=officer, review=review, version=review.version, today=TODAY, income=income, deprived=[]
            )
        assert "rất thấp" in vi_errors(exc, "income")
        assert Review.objects.get(pk=review.pk).version == review.version
    services.save_review(
        user=officer,
        review=review,
        version=review.version,
        today=TODAY,
        income=1_500,
        deprived=[],
        income_confirmed=True,
    )
    assert Review.objects.get(pk=review.pk).income == 1_500
    saved = services.save_review(
        user=officer, review=review, version=review.version, today=TODAY, income=LOW_MONTHLY_INCOME, deprived=[]
    )
    assert saved.income == LOW_MONTHLY_INCOME


def test_the_review_page_asks_for_confirmation_of_a_low_income(client, officer, review):
    client.force_login(officer)
    url = reverse("households:review", args=[review.household_id, 2025])
    form = {"version": review.version, "income": "50.000", "save": "1"}
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "50.000 đ/người/tháng là rất thấp" in html and CONFIRM_LABEL in html
    assert Review.objects.get(pk=review.pk).income == 0

    response = client.post(url, {**form, "income_confirmed": "on"})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).income == 50_000
    assert CONFIRM_LABEL not in client.get(url).content.decode()  # asked when saving, not on every visit


def test_the_review_page_refuses_an_ambiguous_income_and_keeps_it(client, officer, review):
    client.force_login(officer)
    url = reverse("households:review", args=[review.household_id, 2025])
    response = client.post(url, {"version": review.version, "income": "1.500,5", "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert INCOME_EXAMPLE in html and 'value="1.500,5"' in html
    assert Review.objects.get(pk=review.pk).income == 0


# 2. Citizen ID ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "cleaned"),
    [
        ("034178001234", "034178001234"),
        (" 034 178 001 234 ", "034178001234"),
        ("034.178.001.234", "034178001234"),
        ("034-178-001-234", "034178001234"),
        ("０３４１７８００１２３４", "034178001234"),
        ("0341780012345", "0341780012345"),  # a 13th digit stays, to be refused, never cut off
        ("03417800123", "03417800123"),  # no zero is added here (only the import restores Excel's lost zero)
        ("034O78001234", "034O78001234"),
    ],
)
def test_one_cccd_normalisation(typed, cleaned):
    assert rules.clean_cccd(typed) == cleaned


def test_the_member_form_does_not_cut_a_13th_digit_and_refuses_it(household):
    form = MemberForm(instance=Member(household=household))
    assert "maxlength" not in str(form["cccd"])
    data = {
        "full_name": "Lê Thị Hương",
        "birth_date": "05/09/1978",
        "sex": "F",
        "relation": "spouse",
        "ethnicity": "Kinh",
        "cccd": "0341780012345",
    }
    form = MemberForm(data, instance=Member(household=household))
    with translation.override("vi"):
        assert not form.is_valid()
        assert form.errors["cccd"] == [CCCD_LENGTH]
    form = MemberForm({**data, "cccd": "０３４ １７８ ００１ ２３４"}, instance=Member(household=household))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cccd"] == "034178001234"


def test_a_full_width_cccd_is_the_same_person(officer, household):
    services.save_member(
        user=officer, household=household, full_name="Lê Thị Hương", birth_date=date(1978, 9, 5), sex="F",
        relation="spouse", cccd="034178001234",
    )  # fmt: skip
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_member(
            user=officer, household=household, full_name="Lê Thị Hương", birth_date=date(1978, 9, 5), sex="F",
            relation="other", cccd="０３４１７８００１２３４",
        )  # fmt: skip
    assert "034178001234" in vi_errors(exc, "cccd")
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_member(
            user=officer, household=household, full_name="Lê Văn Tám", birth_date=date(1978, 9, 5), sex="M",
            relation="other", cccd="0341780012345",
        )  # fmt: skip
    assert vi_errors(exc, "cccd") == CCCD_LENGTH
    assert Member.objects.filter(cccd__startswith="03417800123").count() == 1


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_the_household_search_finds_a_cccd_however_typed(officer, household):
    member = household.members.get(relation="head")
    typed = member.cccd
    for query in (typed, " ".join([typed[:3], typed[3:6], typed[6:]]), typed.translate(FULL_WIDTH)):
        found = selectors.household_filter(officer, year=2025, query=query)
        assert list(found.values_list("pk", flat=True)) == [household.pk], query


@pytest.mark.parametrize(
    ("cccd", "born", "sex", "found"),
    [
        ("034178001234", date(1978, 9, 5), "F", []),
        ("001205001234", date(2005, 1, 1), "M", []),
        ("034378001234", date(2078, 1, 1), "F", []),  # the 4th digit 3: a woman born in the 2000s
        ("003178001234", date(1978, 9, 5), "F", ["003"]),  # no province has the code 003
        ("097178001234", date(1978, 9, 5), "F", ["097"]),
        ("034078001234", date(1978, 9, 5), "F", ["nam"]),  # the 4th digit 0: a man
        ("034187001234", date(1978, 9, 5), "F", ["1987"]),
        ("034278001234", date(1978, 9, 5), "F", ["nam", "2078"]),
        ("034878001234", date(1878, 9, 5), "M", []),  # 8: a man born in the 1800s
    ],
)
def test_what_a_cccd_says_is_compared_with_the_person(cccd, born, sex, found):
    with translation.override("vi"):
        problems = rules.cccd_problems(cccd, birth_date=born, sex=sex)
    assert len(problems) == len(found)
    for problem, word in zip(problems, found, strict=True):
        assert word in problem


def test_the_member_page_warns_about_a_cccd_that_disagrees_but_saves(client, officer, household):
    client.force_login(officer)
    data = {
        "full_name": "Phạm Thị Ngọc Ánh",
        "birth_date": "05/09/1978",
        "sex": "F",
        "relation": "spouse",
        "ethnicity": "Kinh",
        "cccd": "034087001234",  # says a man born in 1987
        "working_capacity": "full",
        "schooling": "na",
    }
    response = client.post(reverse("households:member_add", args=[household.pk]), data, follow=True)
    html = response.content.decode()
    assert Member.objects.filter(cccd="034087001234").exists()
    warnings = re.findall(r'class="alert alert-warning"[^>]*>([^<]*)<', html)
    assert len(warnings) == 2
    assert "giới tính là nam" in warnings[0] and "năm sinh là 1987" in warnings[1]


# 3. Causes of poverty -----------------------------------------------------------------------------------------


def test_causes_for_a_household_that_is_not_poor_are_refused_not_dropped(officer, review):
    causes = list(PovertyCause.objects.order_by("order")[:2])
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_review(
            user=officer, review=review, version=review.version, today=TODAY, income=1_400_000, deprived=[1],
            causes=causes,
        )  # fmt: skip
    assert CAUSES_REFUSED in vi_errors(exc, "causes")
    assert Review.objects.get(pk=review.pk).version == review.version
    # Poor by the village meeting's agreed class: the causes are kept.
    saved = services.save_review(
        user=officer, review=review, version=review.version, today=TODAY, income=1_400_000, deprived=[1],
        causes=causes, class_override="poor", class_reason="Họp thôn thống nhất: hộ có người ốm nặng",
    )  # fmt: skip
    assert set(saved.causes.all()) == set(causes)


def test_the_review_page_shows_the_refusal_and_keeps_the_ticks(client, officer, review):
    client.force_login(officer)
    cause = PovertyCause.objects.get(code="thieu-von")
    url = reverse("households:review", args=[review.household_id, 2025])
    response = client.post(url, {"version": review.version, "income": "2.000.000", "causes": [cause.pk], "save": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert CAUSES_REFUSED in html
    assert re.search(rf'<input[^>]*value="{cause.pk}"[^>]*checked', html)
    assert not Review.objects.get(pk=review.pk).causes.exists()


def test_a_new_review_takes_last_years_causes_only_if_it_is_poor(officer, household):
    cause = PovertyCause.objects.get(code="om-dau")
    last = services.start_review(user=officer, household=household, year=2024, today=date(2024, 10, 1))
    services.save_review(
        user=officer, review=last, version=last.version, today=date(2024, 10, 1), income=1_400_000, deprived=[1],
        causes=[cause], class_override="poor", class_reason="Họp thôn thống nhất",
    )  # fmt: skip
    review = services.start_review(user=officer, household=household, year=2025, today=TODAY)
    assert review.computed_class == "near_poor" and not review.causes.exists()


# 4. New members' working capacity and schooling -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "capacity", "schooling"),
    [
        (date(2024, 5, 1), "none", "na"),
        (date(2022, 12, 31), "none", "preschool"),  # 3 in 2025, the school year's calendar year
        (date(2019, 12, 31), "none", "primary"),  # starts primary school in September 2025, still 5
        (date(2015, 1, 1), "none", "primary"),
        (date(2014, 6, 1), "none", "lower_secondary"),
        (date(2010, 11, 1), "none", "upper_secondary"),  # 14 on 01/10/2025, in the year of 15
        (date(2010, 9, 30), "full", "upper_secondary"),
        (date(2008, 1, 1), "full", "upper_secondary"),  # 17 in 2025
        (date(2007, 1, 1), "full", "na"),
        (date(1965, 1, 1), "limited", "na"),
        (date(1945, 10, 1), "none", "na"),
    ],
)
def test_member_defaults_follow_the_date_of_birth(born, capacity, schooling):
    assert rules.member_defaults(born, today=TODAY) == {"working_capacity": capacity, "schooling": schooling}


@pytest.mark.parametrize(
    ("born", "capacity", "schooling", "fields"),
    [
        (date(2022, 3, 1), "full", "preschool", ["working_capacity"]),
        (date(2022, 3, 1), "none", "higher", ["schooling"]),
        (date(1945, 3, 1), "none", "primary", ["schooling"]),
        (date(2015, 3, 1), "none", "na", ["schooling"]),
        (date(2011, 3, 1), "full", "lower_secondary", ["working_capacity"]),
        (date(1990, 3, 1), "full", "na", []),
        (date(2008, 3, 1), "full", "upper_secondary", []),  # 17 and still at upper secondary school
        (date(2005, 3, 1), "full", "higher", []),
    ],
)
def test_contradictions_of_age_are_found(born, capacity, schooling, fields):
    with translation.override("vi"):
        problems = rules.profile_problems(birth_date=born, working_capacity=capacity, schooling=schooling, today=TODAY)
    labels = {"working_capacity": "Khả năng lao động", "schooling": "Tình trạng đi học"}
    assert [p.split(" “")[0] for p in problems] == [labels[f] for f in fields]


def test_a_new_member_left_at_choose_gets_the_defaults_of_their_age(client, officer, household):
    client.force_login(officer)
    url = reverse("households:member_add", args=[household.pk])
    page = client.get(url).content.decode()
    for name in ("working_capacity", "schooling"):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        assert re.search(r'<option value="" selected>— chọn —</option>', select), select
    data = {"full_name": "Nguyễn Bảo An", "birth_date": "12/04/2018", "sex": "M", "relation": "grandchild"}
    response = client.post(url, {**data, "ethnicity": "Kinh", "working_capacity": "", "schooling": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(full_name="Nguyễn Bảo An")
    assert (member.working_capacity, member.schooling) == (WorkingCapacity.NONE, Schooling.PRIMARY)


def test_the_service_fills_what_a_caller_leaves_out_and_keeps_what_it_gives(officer, household):
    child = services.save_member(
        user=officer, household=household, full_name="Trần Minh Khang", birth_date=date(2021, 2, 2), sex="M",
        relation="grandchild",
    )  # fmt: skip
    assert (child.working_capacity, child.schooling) == ("none", "preschool")
    student = services.save_member(
        user=officer, household=household, full_name="Trần Thu Hà", birth_date=date(2006, 2, 2), sex="F",
        relation="child", schooling="higher",
    )  # fmt: skip
    assert (student.working_capacity, student.schooling) == ("full", "higher")
    same = services.save_member(user=officer, household=household, member=student, full_name="Trần Thu Hà")
    assert (same.working_capacity, same.schooling) == ("full", "higher")


def test_the_member_page_warns_about_a_three_year_old_able_to_work(client, officer, household):
    client.force_login(officer)
    data = {"full_name": "Lê Gia Bảo", "birth_date": "01/03/2022", "sex": "M", "relation": "grandchild"}
    data.update(ethnicity="Kinh", working_capacity="full", schooling="higher")
    response = client.post(reverse("households:member_add", args=[household.pk]), data, follow=True)
    html = response.content.decode()
    assert Member.objects.filter(full_name="Lê Gia Bảo", working_capacity="full").exists()
    warnings = re.findall(r'class="alert alert-warning"[^>]*>([^<]*)<', html)
    assert len(warnings) == 2 and all("3 tuổi" in w for w in warnings)


# 5. Ethnicity ---------------------------------------------------------------------------------------------------


def test_the_list_has_the_54_groups_with_their_gso_codes():
    codes = [code for code, _name in ETHNIC_GROUPS]
    assert codes == [f"{n:02d}" for n in range(1, 55)]
    assert len({rules._ethnic_key(name) for _code, name in ETHNIC_GROUPS}) == 54
    assert dict(ETHNIC_GROUPS)["01"] == "Kinh" and dict(ETHNIC_GROUPS)["54"] == "Rơ Măm"


@pytest.mark.parametrize(
    ("typed", "official"),
    [
        ("Kinh", "Kinh"),
        ("kinh", "Kinh"),
        ("Việt", "Kinh"),
        ("tay", "Tày"),
        ("Dân tộc Tày", "Tày"),
        (unicodedata.normalize("NFD", "Mường"), "Mường"),
        ("Khơ-me", "Khmer"),
        ("KHMER", "Khmer"),
        ("H'Mông", "Mông"),
        ("Mèo", "Mông"),
        ("Gia-rai", "Gia Rai"),
        ("ede", "Ê Đê"),
        ("Ê-đê", "Ê Đê"),
        ("Bru Vân Kiều", "Bru - Vân Kiều"),
        ("Vân Kiều", "Bru - Vân Kiều"),
        ("Xơ-đăng", "Xơ Đăng"),
        ("Gié-Triêng", "Giẻ Triêng"),
        ("Co Lao", "Cờ Lao"),
        ("Hán", "Hoa"),
        ("người Nùng", "Nùng"),
        ("Pháp", None),
        ("Kinh Tày", None),
        ("", None),
    ],
)
def test_ethnicity_is_read_from_common_spellings(typed, official):
    assert rules.ethnicity_name(typed) == official


def test_ethnicity_is_chosen_from_the_list_and_an_old_value_is_shown(household):
    member = household.members.get(relation="head")
    form = MemberForm(instance=member)
    options = re.findall(r"<option value=\"([^\"]*)\"", str(form["ethnicity"]))
    assert options == [name for _code, name in ETHNIC_GROUPS]
    Member.objects.filter(pk=member.pk).update(ethnicity="Người Pháp gốc Việt")
    member.refresh_from_db()
    with translation.override("vi"):
        html = str(MemberForm(instance=member)["ethnicity"])
    assert 'value="Người Pháp gốc Việt" selected>Người Pháp gốc Việt (không có trong danh mục)' in html


def test_the_service_takes_the_official_name_and_refuses_an_unknown_one(officer, household):
    member = services.save_member(
        user=officer, household=household, full_name="Hà Thị Mai", birth_date=date(1990, 2, 2), sex="F",
        relation="other", ethnicity="tay",
    )  # fmt: skip
    assert member.ethnicity == "Tày"
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.save_member(user=officer, household=household, member=member, ethnicity="Tày Nùng")
    assert "54 dân tộc" in vi_errors(exc, "ethnicity")
    # A value recorded before the list existed stays while it is not changed.
    Member.objects.filter(pk=member.pk).update(ethnicity="Người Pháp gốc Việt")
    member.refresh_from_db()
    kept = services.save_member(user=officer, household=household, member=member, full_name="Hà Thị Mai Anh")
    assert kept.ethnicity == "Người Pháp gốc Việt"


def test_the_data_migration_gives_recorded_ethnicities_their_official_name(household):
    members = list(household.members.order_by("pk"))
    for member, recorded in zip(members, ["tày", "Khơ-me", "Người Pháp"], strict=True):
        Member.objects.filter(pk=member.pk).update(ethnicity=recorded)
    migration = importlib.import_module("households.migrations.0007_member_head_first_ethnicity")
    migration.official_ethnicities(apps, None)
    assert [m.ethnicity for m in Member.objects.filter(pk__in=[m.pk for m in members]).order_by("pk")] == [
        "Tày",
        "Khmer",
        "Người Pháp",
    ]


# 6. The head first ----------------------------------------------------------------------------------------------


def test_the_head_is_listed_first_then_by_date_of_birth(client, officer, village):
    household = services.create_household(
        user=officer, village=village, code="13249-00010", head=head("Đỗ Văn Hùng", birth_date=date(1985, 4, 4))
    )
    for name, born, relation in [
        ("Đỗ Văn Thành", date(1955, 1, 1), "parent"),
        ("Đỗ Thị Yến", date(1988, 8, 8), "sibling"),
        ("Đỗ Minh Quân", date(2015, 5, 5), "child"),
        ("Nguyễn Thị Huệ", date(1957, 2, 2), "other"),
    ]:
        services.save_member(
            user=officer, household=household, full_name=name, birth_date=born, sex="M", relation=relation
        )
    expected = ["Đỗ Văn Hùng", "Đỗ Văn Thành", "Nguyễn Thị Huệ", "Đỗ Thị Yến", "Đỗ Minh Quân"]
    assert [m.full_name for m in household.members.all()] == expected
    client.force_login(officer)
    html = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    rows = re.findall(r'data-testid="member-row">\s*<td>(?:<a [^>]*>)?([^<]*)<', html)
    assert rows == expected
