"""The upload limit of imports, enforced while the request arrives rather than after the whole body is stored.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not cover files, and the form only sees a file once it has been received
in full: a 60 MB upload would be read and written to disk before `reading.sniff` refused it. `upload_limit` looks
at the declared Content-Length of a POST to the upload page before anything reads the body, and otherwise puts
`CountingUploadHandler` first, which stops reading as soon as the file's bytes pass the limit (a client that
declares no length or a false one). Either way the user gets a page that says why, and nothing is stored.
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.urls import reverse

from . import reading

# The form around the file: boundaries, part headers, the CSRF token and the other fields.
FORM_OVERHEAD = 64 * 1024


class CountingUploadHandler(FileUploadHandler):
    """Counts the bytes of the uploaded files and stops the upload once they pass `limit`."""

    def __init__(self, request, limit):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)  # read no more of the body
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler stores the file


def _too_large(request, size):
    return render(
        request,
        "imports/upload_too_large.html",
        {"problem": reading.size_problem(size), "limit_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
        status=413,
    )


def upload_limit(get_response):
    """Middleware: refuse an import upload over IMPORT_MAX_BYTES before (or while) its body is read."""

    def middleware(request):
        if request.method != "POST" or request.path_info != reverse("imports:upload"):
            return get_response(request)
        limit = settings.IMPORT_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + FORM_OVERHEAD:
            return _too_large(request, declared)
        counter = CountingUploadHandler(request, limit)
        request.upload_handlers.insert(0, counter)
        request.FILES  # noqa: B018 - read the body now, through the counter, before the CSRF check reads it
        if counter.exceeded:
            return _too_large(request, counter.received)
        return get_response(request)

    return middleware
