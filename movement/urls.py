from .views import dashboard, ledger, participation, practices, targets

app_name = "movement"

urlpatterns = [
    *dashboard.urlpatterns,
    *targets.urlpatterns,
    *participation.urlpatterns,
    *practices.urlpatterns,
    *ledger.urlpatterns,
]
