"""Shared pieces of the good-practice tests: the people of the journey, real files, a practice's fields."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.movement.part_files import pdf_bytes
from units.roles import Role

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=VN)


def png(name="ảnh-mô-hình.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg(name="hoi-nghi.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def pdf(name="bao-cao.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


def docx(name="thuyet-minh.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue())


def fields(**overrides):
    return {
        "title": "Mô hình “Tổ tiết kiệm vì phụ nữ nghèo” xã Song An",
        "kind": "model",
        "description": "Mỗi hội viên góp 50.000 đồng mỗi tháng; tổ cho hộ nghèo vay không lãi để chăn nuôi.",
        "results": "Sau hai năm, 12 hộ vay vốn đã có thu nhập ổn định.",
        "households_out_of_poverty": 12,
        "people_employed": 20,
        "value_mobilised": 1_500_000_000,
        **overrides,
    }


class People:
    """The units and people of a good practice's journey."""

    def __init__(self, tree, make_user):
        self.women = tree.participant("Hội LHPN tỉnh")
        self.dolisa_unit = tree.participant("Sở LĐ-TB&XH")
        self.board_unit = tree.participant("Ban TĐKT")
        self.song_an = tree.commune("13249")
        self.reporter = make_user(
            Role.UNIT_REPORTER, self.women, username="hlhpn.baocao", last_name="Nguyễn Thị", first_name="Hạnh"
        )
        self.dolisa = make_user(
            Role.DOLISA_STAFF, self.dolisa_unit, username="sldtbxh.thiDua", last_name="Trần Văn", first_name="Minh"
        )
        self.board = make_user(
            Role.EMULATION_BOARD, self.board_unit, username="bantdkt", last_name="Phạm Thị", first_name="Thuỷ"
        )
        self.officer = make_user(
            Role.COMMUNE_OFFICER, self.song_an, username="canbo.songan", last_name="Lê Văn", first_name="Toàn"
        )
