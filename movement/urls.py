from .views import practices

app_name = "movement"

urlpatterns = [
    *practices.urlpatterns,
]
