from .views import dashboard, practices, targets

app_name = "movement"

urlpatterns = [
    *practices.urlpatterns,
    *dashboard.urlpatterns,
    *targets.urlpatterns,
]
