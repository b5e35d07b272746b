"""factory_boy factories with Vietnamese data."""

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = factory.Faker("first_name", locale="vi_VN")
    last_name = factory.Faker("last_name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@thaibinh.gov.vn")
