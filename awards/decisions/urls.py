from django.urls import path

from . import views

urlpatterns = [
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/new/<slug:stage>/", views.proposal_new, name="proposal_new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/document/", views.proposal_document, name="proposal_document"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/document/<slug:kind>/", views.decision_document, name="decision_document"),
]
