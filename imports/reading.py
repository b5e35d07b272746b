"""Reading uploaded rosters: refuse what is not a plain .xlsx or .csv, then stream the rows under the header.

`sniff` looks at the bytes (never the name alone) and refuses macro-enabled, encrypted, old-format, corrupt or
oversized files before anything is stored. `open_table` finds the sheet and the header row (office files put
titles and merged cells above it) and streams the data rows with openpyxl's read-only mode, formulas read as
their cached values, so memory stays flat whatever the number of rows.
"""

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from common.text import fold

from .normalise import header_key, text

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEADER_SEARCH_ROWS = 20
MAX_UNPACKED_BYTES = 2 * 1024**3  # an .xlsx that unpacks to more than this is refused (zip bomb)
MACRO_CONTENT_TYPE = b"macroEnabled"
AUXILIARY_SHEETS = {"danh muc", "huong dan"}  # the template's lists and instructions (folded names)


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why, for the user."""


@dataclass
class Sniffed:
    format: str  # "xlsx" or "csv"
    encoding: str = ""  # csv only
    delimiter: str = ","


def sniff(handle, name, size):
    """Check an uploaded file by its name, size and bytes; return its format or raise FileRefused."""
    if size > settings.IMPORT_MAX_BYTES:
        raise FileRefused(size_problem(size))
    if size == 0:
        raise FileRefused(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ("xlsm", "xltm", "xlam"):
        raise FileRefused(_("Macro-enabled workbooks (.xlsm) are not accepted. Save the file as .xlsx and upload it."))
    if extension not in ("xlsx", "csv"):
        raise FileRefused(_("Only Excel workbooks (.xlsx) and CSV files (.csv) can be imported."))
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(OLE2_MAGIC[:4]):
        raise FileRefused(
            _(
                "This file is password-protected (encrypted) or in the old Excel 97-2003 format. Remove the "
                "password or save it as an .xlsx workbook, then upload it again."
            )
        )
    if head.startswith(b"PK"):
        if extension != "xlsx":
            raise FileRefused(_("This file is an Excel workbook, not a CSV file: name it .xlsx."))
        _check_workbook_archive(handle)
        return Sniffed("xlsx")
    if extension == "xlsx":
        raise FileRefused(_("This file is not an Excel workbook (.xlsx), or it is damaged."))
    return _sniff_csv(handle)


def size_problem(size):
    """The message for a file of `size` bytes, over the limit."""
    return _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.") % {
        "size": _megabytes(size),
        "limit": _megabytes(settings.IMPORT_MAX_BYTES),
    }


def _megabytes(size):
    return f"{size / 1024 / 1024:.1f}".rstrip("0").rstrip(".")


def _check_workbook_archive(handle):
    try:
        with zipfile.ZipFile(handle) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError):
        raise FileRefused(
            _("The workbook is damaged (the archive cannot be opened). Save it again and upload it.")
        ) from None
    finally:
        handle.seek(0)
    if any(name.lower().endswith("vbaproject.bin") for name in names) or MACRO_CONTENT_TYPE in content_types:
        raise FileRefused(
            _("This workbook contains macros, which are not accepted. Save it as a plain .xlsx workbook.")
        )
    if "xl/workbook.xml" not in names or not content_types:
        raise FileRefused(_("This file is not an Excel workbook (.xlsx), or it is damaged."))
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(_("The workbook is too large once unpacked. Split it into several files."))


def _sniff_csv(handle):
    sample = handle.read(64 * 1024)
    handle.seek(0)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif b"\x00" in sample:
        raise FileRefused(_("This file is not a text CSV file."))
    else:
        encoding = "utf-8" if _is_utf8(handle) else "cp1258"
    first_line = sample.decode(encoding if encoding != "utf-16" else "utf-16", errors="ignore").splitlines()[:1]
    line = first_line[0] if first_line else ""
    delimiter = max((",", ";", "\t"), key=line.count)
    return Sniffed("csv", encoding=encoding, delimiter=delimiter)


def _is_utf8(handle):
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(1024 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        handle.seek(0)
    return True


# Tables ---------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """The data rows of one sheet under its header: `rows` yields (row number, cells) for non-blank rows."""

    sheet: str
    header_row: int
    header: list  # the header cells as read (text)
    mapping: dict  # column key -> index in the row
    estimated_rows: int
    rows: object = None
    close: object = field(default=lambda: None)


def _is_blank(cells):
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


_NUMBERING = re.compile(r"\(?[0-9]{1,2}\)?|\(?[a-zA-Z]\)?")


def _is_numbering(cells):
    """The row some forms put under the header: (1) (2) (3) ... or A B 1 2 3."""
    filled = [text(cell) for cell in cells if text(cell)]
    return len(filled) >= 3 and all(_NUMBERING.fullmatch(value) for value in filled)


def find_header(rows, aliases):
    """The header among the first rows: the row naming most known columns. Returns (index, mapping) or None.

    `aliases` maps a header key (see normalise.header_key) to a column key.
    """
    best = None
    for index, cells in enumerate(rows):
        mapping = {}
        for position, cell in enumerate(cells):
            key = aliases.get(header_key(cell)) if cell is not None else None
            if key and key not in mapping:
                mapping[key] = position
        if len(mapping) >= 2 and (best is None or len(mapping) > len(best[1])):
            best = (index, mapping)
    return best


def open_table(path, sniffed, aliases, *, required=()):
    """Open the file, find the sheet and header row, and return a Table that streams the data rows.

    Raises FileRefused for an unreadable file, an empty sheet, no recognisable header or missing columns.
    """
    if sniffed.format == "xlsx":
        return _open_xlsx(path, aliases, required)
    return _open_csv(path, sniffed, aliases, required)


def _open_xlsx(path, aliases, required):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise FileRefused(
            _("The workbook could not be read; it may be damaged. Save it again and upload it.")
        ) from None
    try:
        candidates = []
        any_data = False
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible" or fold(sheet.title) in AUXILIARY_SHEETS:
                continue  # the template's lists and instructions name the columns too
            iterator = sheet.iter_rows(values_only=True)
            head = []
            for cells in iterator:
                head.append(cells)
                if len(head) >= HEADER_SEARCH_ROWS:
                    break
            any_data = any_data or any(not _is_blank(cells) for cells in head)
            found = find_header(head, aliases)
            if found:
                candidates.append((len(found[1]), sheet, iterator, head, found))
        if not candidates:
            workbook.close()
            if not any_data:
                raise FileRefused(_("The sheet is empty: there is no header row and no data."))
            raise FileRefused(_header_not_found(aliases))
        # The sheet whose header names the most known columns; the template's "Dữ liệu" on a tie.
        candidates.sort(key=lambda c: (-c[0], c[1].title != "Dữ liệu"))
        _count, sheet, iterator, head, (index, mapping) = candidates[0]
        twins = [c[1].title for c in candidates if set(c[4][1]) == set(mapping)]
        if len(twins) > 1:
            # Reading one and ignoring the others would silently drop rows (a big export spans two sheets).
            raise FileRefused(
                _(
                    "The workbook has several sheets of data (%(sheets)s). Put them in separate files and import "
                    "each one."
                )
                % {"sheets": ", ".join(twins)}
            )
        _check_duplicates(head[index], aliases)
        _check_required(mapping, required, aliases)
        header = [text(cell) for cell in head[index]]
        max_row = sheet.max_row or 0
        estimated = max(max_row - (index + 1), 0)

        def rows():
            buffered = head[index + 1 :]
            number = index + 1
            first = True
            try:
                for source in (buffered, iterator):
                    for cells in source:
                        number += 1
                        if _is_blank(cells):
                            continue
                        if first:
                            first = False
                            if _is_numbering(cells):
                                continue
                        yield number, cells
            except (ValueError, KeyError, TypeError, OSError, zipfile.BadZipFile, SyntaxError) as exc:
                # openpyxl reports damaged sheet XML (found only when streaming reaches it) this way.
                raise FileRefused(
                    _("The workbook could not be read after row %(row)s; it may be damaged. Save it again.")
                    % {"row": number}
                ) from exc

        return Table(sheet.title, index + 1, header, mapping, estimated, rows(), workbook.close)
    except FileRefused:
        workbook.close()
        raise
    except Exception:
        workbook.close()
        raise FileRefused(
            _("The workbook could not be read; it may be damaged. Save it again and upload it.")
        ) from None


def _open_csv(path, sniffed, aliases, required):
    handle = open(path, encoding=sniffed.encoding, newline="", errors="replace")  # noqa: SIM115 - closed by Table
    lines = sum(1 for _line in handle)
    handle.seek(0)
    reader = csv.reader(handle, delimiter=sniffed.delimiter)
    head = []
    for cells in reader:
        head.append(cells)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    found = find_header(head, aliases)
    if not found:
        handle.close()
        if all(_is_blank(cells) for cells in head):
            raise FileRefused(_("The sheet is empty: there is no header row and no data."))
        raise FileRefused(_header_not_found(aliases))
    index, mapping = found
    try:
        _check_duplicates(head[index], aliases)
        _check_required(mapping, required, aliases)
    except FileRefused:
        handle.close()
        raise
    header = [text(cell) for cell in head[index]]

    def rows():
        number = index + 1
        first = True
        for source in (head[index + 1 :], reader):
            for row in source:
                number += 1
                if _is_blank(row):
                    continue
                if first:
                    first = False
                    if _is_numbering(row):
                        continue
                yield number, row

    return Table("", index + 1, header, mapping, max(lines - index - 1, 0), rows(), handle.close)


def _check_required(mapping, required, aliases):
    missing = [column for column in required if column.key not in mapping]
    if missing:
        names = ", ".join(f"“{column.header}”" for column in missing)
        raise FileRefused(
            _("Required column(s) missing: %(names)s. Use the template's header row, or rename your columns.")
            % {"names": names}
        )


def _check_duplicates(cells, aliases):
    """Refuse a header that names one column twice ("Họ tên" and "HỌ TÊN", or a name and its alias): which of the
    two holds the data nobody can tell, and reading one would silently drop the other."""
    positions = {}
    for position, cell in enumerate(cells):
        key = aliases.get(header_key(cell)) if cell is not None else None
        if key:
            positions.setdefault(key, []).append(position)
    repeated = [found for found in positions.values() if len(found) > 1]
    if repeated:
        names = "; ".join(
            ", ".join(f"“{text(cells[p])}” ({_('column')} {get_column_letter(p + 1)})" for p in found)
            for found in repeated
        )
        raise FileRefused(
            _(
                "The header names the same column more than once: %(columns)s. Keep one of them and upload the file "
                "again."
            )
            % {"columns": names}
        )


def _header_not_found(aliases):
    return _(
        "No header row was found in the first %(rows)s rows. Put the column names (as in the template) in one row "
        "above the data."
    ) % {"rows": HEADER_SEARCH_ROWS}


def open_path(file_field):
    """A local path for a stored file (FileSystemStorage), or a spooled local copy for remote storages."""
    try:
        return file_field.path, lambda: None
    except NotImplementedError:
        import tempfile

        copy = tempfile.NamedTemporaryFile(suffix="." + file_field.name.rsplit(".", 1)[-1])  # noqa: SIM115
        with file_field.open("rb") as source:
            while chunk := source.read(1024 * 1024):
                copy.write(chunk)
        copy.flush()
        return copy.name, copy.close


def stream_for_sniff(upload):
    """A seekable binary handle on an uploaded file (Django's UploadedFile)."""
    handle = upload.file if hasattr(upload, "file") else upload
    if not hasattr(handle, "seek"):
        handle = io.BytesIO(upload.read())
    return handle
