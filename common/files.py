"""What an uploaded file is, by its content and never by its name: the one check every upload goes through."""

import zipfile

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MEGABYTE = 1024 * 1024
MAX_UPLOAD_BYTES = 10 * MEGABYTE  # the cap of an uploaded document or photo

PDF, DOCX, JPEG, PNG = "pdf", "docx", "jpeg", "png"
EXTENSIONS = {PDF: "pdf", DOCX: "docx", JPEG: "jpg", PNG: "png"}

_IMAGE_SIGNATURES = {b"\xff\xd8\xff": JPEG, b"\x89PNG\r\n\x1a\n": PNG}


def head(file, count=8):
    """The first `count` bytes, the file left at its start."""
    file.seek(0)
    start = file.read(count)
    file.seek(0)
    return start


def pdf_opens(file):
    """Whether pypdf reads the file as an unencrypted PDF with at least one page."""
    try:
        reader = PdfReader(file)
        return not reader.is_encrypted and len(reader.pages) > 0
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError):
        return False
    finally:
        file.seek(0)


def _docx_opens(file):
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
        return {"word/document.xml", "[Content_Types].xml"} <= names
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        file.seek(0)


def file_kind(file):
    """PDF (one that opens), DOCX (a Word document's package), JPEG or PNG, by the file's content; else None."""
    start = head(file)
    if start.startswith(b"%PDF-"):
        return PDF if pdf_opens(file) else None
    if start.startswith(b"PK\x03\x04"):
        return DOCX if _docx_opens(file) else None
    return next((kind for signature, kind in _IMAGE_SIGNATURES.items() if start.startswith(signature)), None)


def megabytes(size):
    """A size in MB as Vietnamese write it ("10,5")."""
    return f"{size / MEGABYTE:.1f}".replace(".", ",")


def upload_problem(file, limit=MAX_UPLOAD_BYTES):
    """Why a file cannot be attached (None when it can): PDF, DOCX, JPEG or PNG by its content, at most `limit`."""
    if file is None:
        return _("Choose a file.")
    if file.size > limit:
        return _("The file is %(size)s MB; an attachment may be at most %(limit)s MB.") % {
            "size": megabytes(file.size),
            "limit": limit // MEGABYTE,
        }
    if file_kind(file) is None:
        return _(
            "This file is not a PDF, a Word (.docx) document or a JPEG or PNG image (by its content, whatever its "
            "name)."
        )
    return None
