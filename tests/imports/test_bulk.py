"""New records written by COPY (imports.bulk): values as given, defaults filled in, history written once."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from households.models import Household, HouseholdEvent, Member, MemberEvent
from imports import bulk, history


@pytest.fixture
def household_fields(song_an, tree):
    """household_fields(code, **fields) -> a planned new household of Thôn 1, Xã Song An."""
    village = song_an.children.get(name="Thôn 1")

    def fields(code, **extra):
        return {"id": None, "province_id": tree.province.pk, "village_id": village.pk, "code": code, **extra}

    return fields


def test_rows_are_copied_as_given_with_the_model_defaults(household_fields):
    fields = household_fields("SA-001", address="Số 3\tngõ 5\\7")
    [household_id] = bulk.insert_rows(Household, [fields])
    household = Household.objects.get(pk=household_id)
    assert (household.code, household.address, household.archive_reason) == ("SA-001", "Số 3\tngõ 5\\7", "")
    assert household.archived_at is None and household.created_at is not None

    members = [
        {
            "household_id": household_id,
            "full_name": name,
            "birth_date": date(1980, 1, 2),
            "sex": "F",
            "relation": relation,
            "cccd": cccd,
            "ethnicity": "Tày",
            "has_health_insurance": False,
            "has_disability": True,
            "working_capacity": "limited",
            "schooling": "na",
        }
        for name, relation, cccd in (("Nguyễn Thị\nLan", "head", None), ("Lê Văn Ân", "spouse", "034180001234"))
    ]
    ids = bulk.insert_rows(Member, members)
    assert ids == sorted(ids) and len(ids) == 2
    rows = list(Member.objects.filter(pk__in=ids).order_by("pk").values_list(*members[0], "name_folded"))
    folded = ["nguyen thi lan", "le van an"]
    assert rows == [(*member.values(), name) for member, name in zip(members, folded, strict=True)]
    # Outside an import's recording the history triggers fire as for any write.
    assert MemberEvent.objects.filter(pgh_obj_id__in=ids, pgh_label="insert").count() == 2


def test_inside_a_recording_the_triggers_are_skipped_and_the_recorder_writes_the_events(household_fields):
    with transaction.atomic(), history.recording({"import_job": 0}) as recorder:
        ids = bulk.insert_rows(Household, [household_fields("SA-002")])
        assert not HouseholdEvent.objects.exists()
        recorder.record(Household, "insert", ids)
    event = HouseholdEvent.objects.get()
    assert (event.pgh_obj_id, event.code, event.pgh_context.metadata) == (ids[0], "SA-002", {"import_job": 0})


def test_a_duplicate_is_the_database_error_django_raises(household_fields):
    fields = household_fields("SA-003")
    bulk.insert_rows(Household, [fields])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(Household, [fields])


def test_values_copy_cannot_write_are_refused(household_fields):
    fields = household_fields("SA-004", address={"no": 1})
    with pytest.raises(TypeError):
        bulk.insert_rows(Household, [fields])
