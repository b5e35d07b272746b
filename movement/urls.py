from .views import ledger

app_name = "movement"

urlpatterns = [
    *ledger.urlpatterns,
]
