"""factory_boy factories with Vietnamese data."""

import factory
from django.contrib.auth import get_user_model

from households.models import PovertyStandard


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = factory.Faker("first_name", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@thaibinh.gov.vn")


class ReviewFactory(factory.django.DjangoModelFactory):
    """A rural review under Decree 07/2021 (looked up by code: ids change after transactional flushes)."""

    class Meta:
        model = "households.Review"

    year = 2025
    standard = factory.LazyFunction(lambda: PovertyStandard.objects.get(code="nd07-2021"))
    is_urban = False
    income = 1_000_000
    deprived = factory.LazyFunction(lambda: [1, 2, 3])
    member_count = 2
    computed_class = "poor"
