"""django-import-export resources for the apply step, configured for speed.

The importers decide everything before a row reaches a resource: values are already parsed, foreign keys are
resolved ids, and each row says whether it creates (no id) or updates (the id of the record) — so no widget
parses, no instance is looked up row by row, and unchanged rows never get here (our own change detection
replaces `skip_unchanged`). What remains is import-export's row pipeline with bulk writes: `use_bulk`,
`batch_size`, `skip_diff`, no per-row transaction, no model `full_clean`. The households importer writes its new
households and members by COPY instead (imports.bulk: at 100,000 rows the resource's per-row pipeline was two
thirds of the import's time and decided nothing); its updates come here.
"""

import tablib
from django.contrib.auth import get_user_model
from import_export import fields, resources, widgets
from import_export.instance_loaders import BaseInstanceLoader

from households.models import MEMBER_RECORD_FIELDS, Household, Member, Review
from units.models import Membership, Unit

BATCH_SIZE = 1000
UPDATE_BATCH_SIZE = 250  # bulk_update builds one CASE per column; small batches keep that cheap


class Planned(widgets.Widget):
    """The value is already parsed and checked: pass it through."""

    def clean(self, value, row=None, **kwargs):
        return value

    def render(self, value, obj=None, **kwargs):
        return value


class PlannedInstanceLoader(BaseInstanceLoader):
    """A row with an id updates that record, one without creates: no query per row.

    The unloaded instance gets every resource field from the row, so bulk_update writes the planned values.
    """

    def get_instance(self, row):
        pk = row.get("id")
        return self.resource._meta.model(pk=pk) if pk else None


class PlannedField(fields.Field):
    """A field whose value is final: set it on the instance as it is (no attribute path, no empty-value rules)."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        setattr(instance, self.attribute, row[self.column_name])


def planned(name):
    return PlannedField(attribute=name, column_name=name, widget=Planned())


class PlannedResource(resources.ModelResource):
    """Bulk creates and updates of planned rows; remembers the ids it created (for the history)."""

    id = planned("id")

    class Meta:
        use_bulk = True
        batch_size = BATCH_SIZE
        skip_diff = True
        skip_unchanged = False
        report_skipped = False
        clean_model_instances = False
        use_transactions = False  # the pipeline's own transaction makes the whole import all-or-nothing
        import_id_fields = ("id",)
        instance_loader_class = PlannedInstanceLoader

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.created_ids = []
        self._import_fields = None

    def get_import_fields(self):
        # Asked for once per row by import-export; the fields of a resource do not change during an import.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        pending = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size=batch_size, result=result)
        self.created_ids.extend(instance.pk for instance in pending)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size=UPDATE_BATCH_SIZE, result=result)

    def write(self, rows):
        """Import planned rows (dicts keyed by field name, "id" None for new records); errors raise."""
        if not rows:
            return
        headers = list(self.fields)
        dataset = tablib.Dataset(headers=headers)
        for row in rows:
            dataset.append([row.get(name) for name in headers])
        self.import_data(dataset, raise_errors=True, use_transactions=False)


class HouseholdResource(PlannedResource):
    province_id = planned("province_id")
    village_id = planned("village_id")
    code = planned("code")
    address = planned("address")
    version = planned("version")  # F("version") + 1: the planned update bumps what edit forms compare with

    class Meta(PlannedResource.Meta):
        model = Household
        fields = ("id", "province_id", "village_id", "code", "address", "version")


MEMBER_FIELDS = ("household_id", *MEMBER_RECORD_FIELDS)


class MemberResource(PlannedResource):
    household_id = planned("household_id")
    full_name = planned("full_name")
    birth_date = planned("birth_date")
    sex = planned("sex")
    relation = planned("relation")
    cccd = planned("cccd")
    ethnicity = planned("ethnicity")
    has_health_insurance = planned("has_health_insurance")
    has_disability = planned("has_disability")
    working_capacity = planned("working_capacity")
    schooling = planned("schooling")
    version = planned("version")  # F("version") + 1, as for households

    class Meta(PlannedResource.Meta):
        model = Member
        fields = ("id", *MEMBER_FIELDS, "version")


class VillageResource(PlannedResource):
    kind = planned("kind")
    category = planned("category")
    name = planned("name")
    code = planned("code")
    parent_id = planned("parent_id")
    note = planned("note")

    class Meta(PlannedResource.Meta):
        model = Unit
        fields = ("id", "kind", "category", "name", "code", "parent_id", "note")


class ReviewResource(PlannedResource):
    household_id = planned("household_id")
    village_id = planned("village_id")
    year = planned("year")
    standard_id = planned("standard_id")
    is_urban = planned("is_urban")
    income = planned("income")
    deprived = planned("deprived")
    member_count = planned("member_count")
    computed_class = planned("computed_class")
    class_override = planned("class_override")
    class_reason = planned("class_reason")
    no_working_capacity = planned("no_working_capacity")
    social_protection = planned("social_protection")
    meritorious_service = planned("meritorious_service")
    ethnic_minority = planned("ethnic_minority")
    state = planned("state")
    version = planned("version")
    updated_at = planned("updated_at")
    updated_by_id = planned("updated_by_id")

    class Meta(PlannedResource.Meta):
        model = Review
        fields = (
            "id",
            "household_id",
            "village_id",
            "year",
            "standard_id",
            "is_urban",
            "income",
            "deprived",
            "member_count",
            "computed_class",
            "class_override",
            "class_reason",
            "no_working_capacity",
            "social_protection",
            "meritorious_service",
            "ethnic_minority",
            "state",
            "version",
            "updated_at",
            "updated_by_id",
        )


class UserResource(PlannedResource):
    """New users, with an unusable password (the owner sets it through a password-setting link); see
    UserNameResource for updates."""

    username = planned("username")
    first_name = planned("first_name")
    last_name = planned("last_name")
    email = planned("email")
    password = planned("password")

    class Meta(PlannedResource.Meta):
        model = get_user_model()
        fields = ("id", "username", "first_name", "last_name", "email", "password")


class UserNameResource(PlannedResource):
    """Existing users: only their names and e-mail change (never the password, the username or the flags)."""

    first_name = planned("first_name")
    last_name = planned("last_name")
    email = planned("email")

    class Meta(PlannedResource.Meta):
        model = get_user_model()
        fields = ("id", "first_name", "last_name", "email")


class MembershipResource(PlannedResource):
    user_id = planned("user_id")
    unit_id = planned("unit_id")
    role = planned("role")

    class Meta(PlannedResource.Meta):
        model = Membership
        fields = ("id", "user_id", "unit_id", "role")
