"""common.files: an upload's kind by its content, whatever its name."""

import io
import zipfile

import pytest

from common import files
from tests.movement.part_files import JPEG, PNG, docx_bytes, pdf_bytes


def _zip(names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (pdf_bytes(), files.PDF),
        (docx_bytes(), files.DOCX),
        (JPEG, files.JPEG),
        (PNG, files.PNG),
        (b"%PDF-1.7\nnot really a pdf", None),  # the signature alone is not a PDF
        (_zip(["xl/workbook.xml", "[Content_Types].xml"]), None),  # an Excel workbook is a zip too
        (b"GIF89a", None),
        (b"", None),
    ],
)
def test_the_kind_is_read_from_the_content(content, kind):
    upload = io.BytesIO(content)
    assert files.file_kind(upload) == kind
    assert upload.tell() == 0, "the file is left at its start for whoever saves it"


def test_sizes_read_as_vietnamese_write_them():
    assert files.megabytes(int(10.5 * files.MEGABYTE)) == "10,5"
