"""Generated documents: the list, one document's page (with the job poller) and its download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from . import selectors


@login_required
def document_list(request):
    return render(request, "documents/document_list.html", {"documents": selectors.documents_for(request.user)[:100]})


@login_required
def document_detail(request, pk):
    return render(request, "documents/document_detail.html", {"document": selectors.document_for(request.user, pk)})


@login_required
def document_download(request, pk):
    document = selectors.document_for(request.user, pk)
    if not document.is_done:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])
