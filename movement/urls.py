from .views import dashboard, ledger, practices, targets

app_name = "movement"

urlpatterns = [
    *practices.urlpatterns,
    *dashboard.urlpatterns,
    *targets.urlpatterns,
    *ledger.urlpatterns,
]
