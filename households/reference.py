"""Reference data of the registry: poverty standards, their indicators, causes of poverty, review periods.

Confidence (DOMAIN.md): the 2022-2025 lines and indicator names are from Decree 07/2021/NĐ-CP (H); the
"deprived when" texts are secondary sources (M/U) and editable by an admin; the 2027 row is unconfirmed (M/U).
Seeded by a data migration and, in tests, again after tables are flushed. Never overwrites admin edits.
"""

from datetime import date

INDICATORS = [
    (
        1,
        "Việc làm",
        "Việc làm",
        "Hộ có ít nhất một người trong độ tuổi lao động, có khả năng lao động, có nhu cầu làm việc"
        " nhưng không có việc làm (hoặc làm việc không có hợp đồng lao động).",
    ),
    (2, "Việc làm", "Người phụ thuộc trong hộ", "Số người phụ thuộc chiếm hơn một nửa số thành viên của hộ."),
    (3, "Y tế", "Dinh dưỡng", "Hộ có ít nhất một trẻ em dưới 16 tuổi bị suy dinh dưỡng thấp còi hoặc nhẹ cân."),
    (4, "Y tế", "Bảo hiểm y tế", "Hộ có ít nhất một người từ đủ 6 tuổi trở lên hiện không có bảo hiểm y tế."),
    (
        5,
        "Giáo dục",
        "Trình độ giáo dục của người lớn",
        "Hộ có ít nhất một người từ 16 đến 30 tuổi không tham gia học tập và không có bằng cấp phù hợp với độ tuổi.",
    ),
    (
        6,
        "Giáo dục",
        "Tình trạng đi học của trẻ em",
        "Hộ có ít nhất một trẻ em từ 3 tuổi đến dưới 16 tuổi không được học đúng bậc, cấp học phù hợp với độ tuổi.",
    ),
    (
        7,
        "Nhà ở",
        "Chất lượng nhà ở",
        "Hộ đang ở nhà không bền chắc (ít nhất hai trong ba kết cấu tường, khung, mái làm bằng vật liệu"
        " không bền chắc).",
    ),
    (8, "Nhà ở", "Diện tích nhà ở bình quân đầu người", "Diện tích nhà ở bình quân đầu người của hộ dưới 8 m²."),
    (9, "Nước sinh hoạt và vệ sinh", "Nguồn nước sinh hoạt", "Hộ không được tiếp cận nguồn nước sạch, an toàn."),
    (10, "Nước sinh hoạt và vệ sinh", "Nhà tiêu hợp vệ sinh", "Hộ không sử dụng nhà tiêu hợp vệ sinh."),
    (
        11,
        "Thông tin",
        "Sử dụng dịch vụ viễn thông",
        "Không có thành viên nào trong hộ sử dụng dịch vụ viễn thông (điện thoại, internet).",
    ),
    (
        12,
        "Thông tin",
        "Phương tiện phục vụ tiếp cận thông tin",
        "Hộ không có phương tiện (ti vi, radio, máy tính, điện thoại thông minh) và không tiếp cận được hệ thống"
        " loa đài truyền thanh.",
    ),
]

CAUSES = [
    ("thieu-von", "Thiếu vốn sản xuất, kinh doanh"),
    ("thieu-dat", "Thiếu đất canh tác"),
    ("thieu-phuong-tien", "Thiếu phương tiện sản xuất, kinh doanh"),
    ("thieu-lao-dong", "Thiếu lao động"),
    ("khong-biet-cach-lam-an", "Không biết cách làm ăn, không có kỹ năng lao động, sản xuất"),
    ("khong-co-viec-lam", "Có lao động nhưng không có việc làm"),
    ("om-dau", "Có người ốm đau, bệnh nặng, tai nạn, thiên tai"),
    ("chay-luoi", "Chây lười lao động"),
    ("khac", "Nguyên nhân khác"),
]


def seed(get_model):
    seed_standards(get_model)
    seed_periods(get_model)


def seed_standards(get_model):
    """Standards, their indicators and the causes of poverty (the registry's own tables)."""
    Standard = get_model("households", "PovertyStandard")
    Indicator = get_model("households", "Indicator")
    Cause = get_model("households", "PovertyCause")

    current, _created = Standard.objects.get_or_create(
        code="nd07-2021",
        defaults={
            "name": "Chuẩn nghèo đa chiều giai đoạn 2022-2025",
            "legal_basis": "Nghị định 07/2021/NĐ-CP ngày 27/01/2021",
            "first_year": 2021,
            "last_year": 2026,
            "rural_poverty_line": 1_500_000,
            "urban_poverty_line": 2_000_000,
            "rural_average_line": 2_250_000,
            "urban_average_line": 3_000_000,
            "deprivation_threshold": 3,
            "confirmed": True,
            "note": "Áp dụng từ kỳ rà soát cuối năm 2021 (kết quả là mốc cơ sở của Kế hoạch 119). "
            "Năm 2026 tiếp tục áp dụng theo quy định chuyển tiếp (mức độ tin cậy M: cần kiểm tra).",
        },
    )
    upcoming, _created = Standard.objects.get_or_create(
        code="chuan-2027",
        defaults={
            "name": "Chuẩn nghèo đa chiều giai đoạn 2027-2030 (chưa xác nhận)",
            "legal_basis": "Dự kiến theo Nghị định về chuẩn nghèo giai đoạn 2026-2030",
            "first_year": 2027,
            "last_year": None,
            "rural_poverty_line": 2_200_000,
            "urban_poverty_line": 2_800_000,
            "rural_average_line": 3_300_000,
            "urban_average_line": 4_200_000,
            "deprivation_threshold": 3,
            "confirmed": False,
            "note": "Chuẩn thu nhập theo nguồn thứ cấp (M). Mức sống trung bình, ngưỡng thiếu hụt và danh mục chỉ số "
            "tạm lấy như giai đoạn 2022-2025 (U): quản trị viên cần cập nhật khi văn bản chính thức ban hành.",
        },
    )
    for standard in (current, upcoming):
        for number, service, name, help_text in INDICATORS:
            Indicator.objects.get_or_create(
                standard=standard, number=number, defaults={"service": service, "name": name, "help_text": help_text}
            )
    for order, (code, name) in enumerate(CAUSES):
        Cause.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def seed_periods(get_model):
    """The review periods 2021-2026 as rows of the deadlines app: communes owe each, entry closes after 14/12."""
    Deadline = get_model("deadlines", "Deadline")
    for year in range(2021, 2027):
        Deadline.objects.get_or_create(
            kind="review_period",
            year=year,
            defaults={
                "opens_on": date(year, 9, 1),
                "due_on": date(year, 12, 14),
                "action": "edit_registry",
                "unit_kinds": ["commune"],
            },
        )


# The 54 ethnic groups of Vietnam with their GSO codes ("Danh mục các dân tộc Việt Nam", Decision
# 121-TCTK/PPCĐ of 2 March 1979, codes 01-54). Names are spelled as the GSO publishes them today (the 2019
# census results); the 1979 spellings (Khơ-me, Hmông, Gia-rai, Ê-đê, ...) and other common ones are synonyms.
ETHNIC_GROUPS = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Ra Glai"),
    ("22", "Xtiêng"),
    ("23", "Bru - Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Giẻ Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cờ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
]

# Other names found in rosters -> the official name. Spellings that differ only by accents, case, spaces,
# hyphens or apostrophes ("Gia-rai", "ede", "H'mông", "Bru Vân Kiều"), or that start with "Dân tộc" or
# "Người", match without being listed.
ETHNIC_SYNONYMS = {
    "Việt": "Kinh",
    "Hán": "Hoa",
    "Khơ-me": "Khmer",
    "Khơ-me Krôm": "Khmer",
    "Hmông": "Mông",
    "Mèo": "Mông",
    "Cao Lan": "Sán Chay",
    "Sán Chỉ": "Sán Chay",
    "Vân Kiều": "Bru - Vân Kiều",
    "Bru": "Bru - Vân Kiều",
    "Xá Phó": "Phù Lá",
}

# Province codes that open a citizen ID (the place of birth registration), as the Ministry of Public Security
# publishes them (Circular 07/2016/TT-BCA, then 59/2021/TT-BCA): the GSO code of each of the 63 provinces with a
# leading zero, 001 Hà Nội to 096 Cà Mau. The provinces merged in 2025 kept one of these codes.
CCCD_PROVINCES = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
CCCD_PROVINCE_CODES = frozenset(CCCD_PROVINCES)
