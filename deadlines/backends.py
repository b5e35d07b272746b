"""Django's model backend, loading the signed-in user with their unread notifications in the same query: the bell
on every page then costs no query of its own (the household list counts its queries)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification


class InboxModelBackend(ModelBackend):
    def get_user(self, user_id):
        unread = (
            Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
            .values("recipient")
            .annotate(n=Count("pk"))
            .values("n")
        )
        User = get_user_model()
        try:
            user = User._default_manager.annotate(
                unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), 0)
            ).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
