"""Excel output in openpyxl's write-only mode: memory stays flat however many rows are written."""

import tempfile
from datetime import datetime

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value):
    """Text that a spreadsheet would run as a formula is escaped with a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def write_xlsx(handle, *, title, header, rows):
    """Write one sheet (bold header, then `rows`, an iterable of sequences) to a binary file object."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    workbook.save(handle)


def xlsx_response(*, filename, title, header, rows):
    """An attachment response; the workbook is spooled to a temporary file, not held in memory."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse reads and closes it
    write_xlsx(handle, title=title, header=header, rows=rows)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
