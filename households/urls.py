from django.urls import path

from . import views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="list"),
    path("export.xlsx", views.household_export, name="export"),
    path("new/", views.household_create, name="create"),
    path("new/code/", views.household_next_code, name="next_code"),
    path("queue/", views.leader_queue, name="queue"),
    path("progress/", views.review_progress, name="progress"),
    path("movement/", views.movement, name="movement"),
    path("movement/figures/", views.figures_request, name="figures_request"),
    path("reopen/", views.reopen, name="reopen"),
    path("reviews/bulk/<str:name>/", views.bulk_transition, name="bulk"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path("<int:pk>/edit/", views.household_edit, name="edit"),
    path("<int:pk>/archive/", views.household_archive, name="archive"),
    path("<int:pk>/members/new/", views.member_edit, name="member_add"),
    path("<int:pk>/members/<int:member_pk>/", views.member_edit, name="member_edit"),
    path("<int:pk>/reviews/start/", views.review_start, name="review_start"),
    path("<int:pk>/reviews/<int:year>/", views.review_edit, name="review"),
    path("<int:pk>/reviews/<int:year>/classify/", views.review_classify, name="review_classify"),
    path("<int:pk>/reviews/<int:year>/<str:name>/", views.review_transition, name="review_transition"),
]
