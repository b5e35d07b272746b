"""The number register: one row per issuer, type and year, incremented in place."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from documents.models import NumberRegister
from documents.services import next_number
from units.choices import UnitKind
from units.models import Unit


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_requests_get_twenty_distinct_consecutive_numbers():
    province = Unit.objects.create(kind=UnitKind.PROVINCE, name="Tỉnh Thái Bình", code="34")
    start = threading.Barrier(20)

    def take(_):
        try:  # each thread has its own database connection
            start.wait()
            return next_number(issuer=province, type_code="QĐ", year=2025)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=20) as pool:
        numbers = list(pool.map(take, range(20)))
    assert sorted(numbers) == list(range(1, 21))
    assert NumberRegister.objects.get().last == 20


def test_numbers_restart_each_year_and_differ_by_issuer_and_type(db):
    province = Unit.objects.create(kind=UnitKind.PROVINCE, name="Tỉnh Thái Bình", code="34")
    district = Unit.objects.create(kind=UnitKind.DISTRICT, name="Huyện Vũ Thư", code="344", parent=province)
    assert [next_number(issuer=province, type_code="QĐ", year=2025) for _ in range(3)] == [1, 2, 3]
    assert next_number(issuer=province, type_code="QĐ", year=2026) == 1
    assert next_number(issuer=province, type_code="KH", year=2025) == 1
    assert next_number(issuer=district, type_code="QĐ", year=2025) == 1
    assert next_number(issuer=province, type_code="QĐ", year=2025) == 4
