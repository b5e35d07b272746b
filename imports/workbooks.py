"""Workbooks the user downloads: the template of an import (generated from its columns) and the error workbook.

Named workbooks.py, not templates.py, so it does not shadow the app's templates/ directory.
"""

import tempfile

from django.http import FileResponse
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common.xlsx import XLSX_TYPE, xlsx_response

from .selectors import error_workbook_rows

DATA_SHEET, LISTS_SHEET, GUIDE_SHEET = "Dữ liệu", "Danh mục", "Hướng dẫn"
VALIDATED_ROWS = 20_000  # drop-down lists cover this many data rows
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def header_text(column):
    return f"{column.header} (*)" if column.required else str(column.header)


def build_template(importer, unit):
    """The template workbook of `importer` for `unit` (its communes and villages feed the drop-downs)."""
    with translation.override("vi"):
        workbook = Workbook()
        data = workbook.active
        data.title = DATA_SHEET
        lists = workbook.create_sheet(LISTS_SHEET)
        guide = workbook.create_sheet(GUIDE_SHEET)
        bold = Font(bold=True)

        data.append([header_text(column) for column in importer.columns])
        for index, column in enumerate(importer.columns, start=1):
            cell = data.cell(row=1, column=index)
            cell.font = bold
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            letter = get_column_letter(index)
            data.column_dimensions[letter].width = column.width
            if column.number_format:
                data.column_dimensions[letter].number_format = column.number_format
        data.freeze_panes = "A2"
        data.row_dimensions[1].height = 32

        choices = importer.template_choices(unit) if unit is not None else {}
        list_column = 0
        written = {}  # the same list (Có/Không, 1/0) is written once and shared by its columns
        for index, column in enumerate(importer.columns, start=1):
            values = choices.get(column.key)
            if not values:
                continue
            letter = written.get(tuple(values))
            if letter is not None:  # a shared list is named by its values ("1/0", "Có/Không")
                lists[f"{letter}1"] = "/".join(str(value) for value in values)
            else:
                list_column += 1
                letter = written[tuple(values)] = get_column_letter(list_column)
                lists.cell(row=1, column=list_column, value=str(column.header)).font = bold
                for offset, value in enumerate(values, start=2):
                    lists.cell(row=offset, column=list_column, value=value)
                lists.column_dimensions[letter].width = max(column.width, 18)
            validation = DataValidation(
                type="list",
                formula1=f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop" if column.strict_choices else "warning",
                errorTitle=str(column.header),
                error=_("Choose a value from the list (sheet “%(sheet)s”).") % {"sheet": LISTS_SHEET},
            )
            target = get_column_letter(index)
            validation.add(f"{target}2:{target}{VALIDATED_ROWS + 1}")
            data.add_data_validation(validation)
        lists.freeze_panes = "A2"

        guide.column_dimensions["A"].width = 28
        guide.column_dimensions["B"].width = 12
        guide.column_dimensions["C"].width = 80
        guide.column_dimensions["D"].width = 24
        guide.append([_("How to fill in: %(import)s") % {"import": importer.label}])
        guide["A1"].font = Font(bold=True, size=14)
        if unit is not None:
            guide.append([_("For: %(unit)s") % {"unit": unit.name}])
        guide.append([])
        for note in (*importer.notes, *importer.common_notes):
            guide.append([f"• {note}"])
        guide.append(
            [_("Columns marked (*) are required; the sheet “%(sheet)s” holds the lists.") % {"sheet": LISTS_SHEET}]
        )
        guide.append([])
        guide.append([_("Column"), _("Required"), _("What to write"), _("Example")])
        for cell in guide[guide.max_row]:
            cell.font = bold
            cell.fill = HEADER_FILL
        for column in importer.columns:
            guide.append(
                [str(column.header), _("Yes") if column.required else _("No"), str(column.help), column.example]
            )
            guide.cell(row=guide.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")

        handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        workbook.save(handle)
    handle.seek(0)
    return handle


def template_response(importer, unit):
    suffix = f"-{unit.code or unit.pk}" if unit is not None else ""
    return FileResponse(
        build_template(importer, unit),
        as_attachment=True,
        filename=f"mau-nhap-{importer.kind}{suffix}.xlsx",
        content_type=XLSX_TYPE,
    )


def errors_response(job):
    """The rows with errors, as read, plus a last column "Lỗi": correct them and upload this file again."""
    with translation.override("vi"):
        header = [*job.header, _("Errors")]
        title = DATA_SHEET
    return xlsx_response(filename=f"loi-nhap-{job.pk}.xlsx", title=title, header=header, rows=error_workbook_rows(job))
