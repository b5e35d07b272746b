from .views import dashboard, targets

app_name = "movement"

urlpatterns = [
    *dashboard.urlpatterns,
    *targets.urlpatterns,
]
