from .views import participation

app_name = "movement"

urlpatterns = [
    *participation.urlpatterns,
]
