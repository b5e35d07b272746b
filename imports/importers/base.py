"""What every importer declares (its columns, its target units, its instructions) and the row it works on.

An importer is one class: `columns` for the template and the reader, `prepare` to load reference data once per
job, `plan` to compare a block of rows with the database (used by the check and again, on fresh data, by the
apply step), and `persist` to write what the plan decided through import-export resources. The engine in
`imports.pipeline` does the rest: reading, progress, cancellation, grouping, staging, counts and row errors.
"""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from households import codes
from units.choices import UnitKind
from units.models import Unit
from units.roles import Action

from .. import normalise

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

# Headers that offices give the columns several importers share.
HOUSEHOLD_CODE_ALIASES = (
    "Mã hộ",
    "Mã hộ gia đình",
    "Mã số hộ",
    "Số hiệu hộ",
    "Mã HGĐ",
    "Mã hộ nghèo",
    "Household code",
)
COMMUNE_ALIASES = (
    "Xã/Phường/Thị trấn",
    "Xã",
    "Phường",
    "Xã/Phường",
    "Mã xã",
    "Tên xã",
    "Đơn vị hành chính cấp xã",
    "Xã phường",
    "Commune",
)


def parse_text(value):
    return normalise.text(value), None


def parse_code(value):
    return normalise.code(value), None


def parse_household_code(value):
    """A household code in its one written form (households.codes.normalise); a number cell loses Excel's '.0'."""
    return codes.normalise(normalise.text(value)), None


def parse_date(value):
    return normalise.day(value)


@functools.lru_cache(maxsize=1024)
def _yes_no(value):
    return normalise.yes_no(value), None


def parse_yes_no(value):
    try:
        return _yes_no(value)
    except TypeError:  # unhashable: not from a spreadsheet
        return normalise.yes_no(value), None


def parse_money(value):
    return normalise.money(value), None


def choice_parser(choices, synonyms):
    index = {}
    memo = {}  # the same few labels fill a whole column: remember what each spelling meant

    def parse(value):
        try:
            return memo[value]
        except (KeyError, TypeError):
            pass
        if not index:
            index.update(normalise.choice_index(choices, synonyms))
        result = normalise.choice(value, index), None
        if len(memo) < 10_000:
            memo[value] = result
        return result

    return parse


def labels(choices):
    return lambda unit: [str(label) for _value, label in choices.choices]


def yes_no_labels(unit):
    return [str(_("Yes")), str(_("No"))]


def commune_names(unit):
    communes = Unit.objects.current().filter(kind=UnitKind.COMMUNE, path__startswith=unit.path)
    return list(communes.order_by("name").values_list("name", flat=True))


def village_names(unit):
    villages = Unit.objects.current().filter(kind=UnitKind.VILLAGE, path__startswith=unit.path)
    return sorted(set(villages.values_list("name", flat=True)), key=normalise.natural_key)


def parse_cccd(value):
    return normalise.cccd(value)


@dataclass(frozen=True)
class Column:
    """One column of an import: its header (English msgid, Vietnamese in the file), how to read a cell, and help."""

    key: str
    header: object  # lazy translation
    help: object = ""
    example: str = ""
    required: bool = False  # the column must be in the file and, unless blank_ok, every row must fill it
    blank_ok: bool = False  # a required column some rows may leave empty (the village: once per household)
    aliases: tuple = ()  # other header names seen in office files (matched without accents, case or spaces)
    parse: object = parse_text  # cell -> (value, warning or None); raises normalise.Invalid
    kind: str = "text"  # text | date | bool | int: how the value is staged between the check and the import
    max_length: int | None = None
    width: int = 18
    number_format: str = ""  # "@" keeps codes and CCCDs as text in the template
    choices: object = None  # callable(template context) -> labels for the drop-down, or None
    strict_choices: bool = True  # a drop-down that refuses other values (False: it only warns)


class Row:
    """One data row: its number in the sheet, its cells as read, its parsed values and what the checks found."""

    __slots__ = ("action", "cells", "group", "group_action", "number", "problems", "status", "values")

    def __init__(self, number, cells, values=None):
        self.number = number
        self.cells = cells
        self.values = values if values is not None else {}
        self.problems = []  # (column key, message, severity)
        self.status = None  # NEW, UPDATED or UNCHANGED once planned without errors
        self.group = None
        self.action = None  # what persist() must do for this row, decided by plan()
        self.group_action = None  # what persist() must do for the row's group, on the group's first row

    def error(self, column, message):
        self.problems.append((column, str(message), "error"))

    def warn(self, column, message):
        self.problems.append((column, str(message), "warning"))

    @property
    def has_errors(self):
        problems = self.problems  # asked several times per row, and most rows have no problem at all
        return bool(problems) and any(problem[2] == "error" for problem in problems)


@dataclass
class Stats:
    """Entity counts of one run (check or import), e.g. {"households": {"new": 3, ...}}."""

    entities: dict = field(default_factory=dict)

    def add(self, entity, status, n=1):
        counts = self.entities.setdefault(entity, {NEW: 0, UPDATED: 0, UNCHANGED: 0})
        counts[status] += n


class Importer:
    kind = ""
    label = ""
    description = ""
    columns = ()
    target_kinds = (UnitKind.COMMUNE,)  # kinds of unit a job may target (empty: the job has no unit)
    # The act that lets a user load this file. Rosters need IMPORT; support rows need only RECORD_SUPPORT, so a
    # giver (a bank, a department) that loads no rosters imports the support it gave.
    import_action = Action.IMPORT
    action = Action.IMPORT  # what the user needs on the target besides importing (users: MANAGE); jobs too
    lock_group = "registry"  # active jobs of one group may not overlap in the unit tree; other groups may
    group_by = None  # rows sharing this column's value are one entity: consecutive, checked and applied together
    notes = ()  # extra paragraphs for the instructions sheet

    @property
    def common_notes(self):
        """The general paragraphs of the instructions sheet that apply to this importer's columns."""
        kinds = {column.kind for column in self.columns}
        return tuple(
            note
            for note in COMMON_NOTES
            if (note is not DATES_NOTE or "date" in kinds) and (note is not UNITS_NOTE or self.names_units)
        )

    names_units = True  # some column names a commune or village (the note on prefixes and codes applies)
    block_rows = 1000

    def __init__(self):
        self._aliases = None

    @property
    def required_actions(self):
        """Every act a user needs on the target unit to run this importer and follow its jobs."""
        return frozenset({self.import_action, self.action})

    # Columns -------------------------------------------------------------------------------------------

    def column(self, key):
        return next(c for c in self.columns if c.key == key)

    def required_columns(self):
        return [c for c in self.columns if c.required]

    def aliases(self):
        """Header key -> column key, from the header in both languages and the known aliases."""
        from django.utils import translation

        if self._aliases is None:
            aliases = {}
            for column in self.columns:
                names = [column.key, *column.aliases]
                for language in ("vi", "en"):
                    with translation.override(language):
                        names.append(str(column.header))
                for name in names:
                    aliases.setdefault(normalise.header_key(name), column.key)
            self._aliases = aliases
        return self._aliases

    def parse(self, number, cells, mapping):
        """Read one row's cells into values; blank optional cells stay out of `values`."""
        row = Row(number, cells)
        size = len(cells)
        values = row.values
        for column in self.columns:
            position = mapping.get(column.key)
            value = cells[position] if position is not None and position < size else None
            if value is None or (isinstance(value, str) and not value.strip()):
                if column.required and not column.blank_ok:
                    row.error(column.key, _("“%(column)s” is required.") % {"column": column.header})
                continue
            problem = normalise.unsafe(value)
            if problem:
                row.error(column.key, problem)
                continue
            try:
                parsed, warning = column.parse(value)
            except normalise.Invalid as exc:
                row.error(column.key, str(exc))
                continue
            if parsed == "" or parsed is None:
                if column.required and not column.blank_ok:
                    row.error(column.key, _("“%(column)s” is required.") % {"column": column.header})
                continue
            if column.max_length and isinstance(parsed, str) and len(parsed) > column.max_length:
                row.error(
                    column.key,
                    _("At most %(n)s characters (this one has %(len)s).")
                    % {"n": column.max_length, "len": len(parsed)},
                )
                continue
            if warning:
                row.warn(column.key, warning)
            values[column.key] = parsed
        if self.group_by:
            row.group = values.get(self.group_by)
        return row

    def is_filler(self, row):
        """A row with none of the required columns filled: a note or signature block, not data."""
        keys = getattr(self, "_filled_keys", None)
        if keys is None:
            keys = self._filled_keys = tuple(c.key for c in self.required_columns() if not c.blank_ok)
        values = row.values
        return all(key not in values for key in keys)

    # Staging between the check and the import --------------------------------------------------------

    def stage(self, row):
        values = row.values
        encoded = []
        for column in self.columns:
            value = values.get(column.key)
            encoded.append(value.isoformat() if isinstance(value, date) else value)
        return [row.number, encoded, row.cells]

    def unstage(self, record):
        number, encoded, cells = record
        row = Row(number, cells)
        values = row.values
        for column, value in zip(self.columns, encoded, strict=True):
            if value is None:
                continue
            values[column.key] = date.fromisoformat(value) if column.kind == "date" else value
        if self.group_by:
            row.group = values.get(self.group_by)
        return row

    # What each importer provides ----------------------------------------------------------------------

    def prepare(self, job, *, applying=False):
        """Load what the checks need once per job (references, scope); returns a context for plan/persist."""
        raise NotImplementedError

    def plan(self, ctx, rows):
        """Compare a block of rows (whole groups) with the database; set each row's status, action or errors."""
        raise NotImplementedError

    def persist(self, ctx, rows, recorder):
        """Write the actions of `rows` (valid, changed groups only); record their history with `recorder`."""
        raise NotImplementedError

    def group_label(self, key):
        return key

    def template_choices(self, unit):
        """Column key -> list of labels for the drop-downs of the template of `unit`."""
        return {column.key: column.choices(unit) for column in self.columns if column.choices}

    def counts(self, stats, entity):
        return stats.entities.get(entity, {NEW: 0, UPDATED: 0, UNCHANGED: 0})

    def summary(self, stats, *, error_rows, applied):
        """The job's one-line result: what was (or would be) written, then how many rows are left out."""
        text = self.counts_summary(stats, applied=applied)
        if error_rows:
            text += " " + ngettext(
                "%(n)s row has errors and is not imported.", "%(n)s rows have errors and are not imported.", error_rows
            ) % {"n": error_rows}
        return text

    def counts_summary(self, stats, *, applied):
        """New, changed and unchanged entities, as imported (`applied`) or as checked."""
        raise NotImplementedError


DATES_NOTE = gettext_lazy("Write dates as dd/mm/yyyy (for example 05/09/1978) or enter them as Excel dates.")
UNITS_NOTE = gettext_lazy(
    "Units can be written with or without their prefix (Xã, Phường, Thôn, Tổ dân phố) and with or without "
    "accents, or given by their code."
)
COMMON_NOTES = (
    gettext_lazy(
        "Keep the header row as it is. Title rows above it, merged cells and extra columns are ignored; columns may "
        "be in any order."
    ),
    DATES_NOTE,
    UNITS_NOTE,
    gettext_lazy(
        "The same file can be imported again safely: unchanged rows are left alone, changed rows are updated and "
        "nothing is duplicated. Nothing is ever deleted by an import."
    ),
    gettext_lazy(
        "After the upload the file is checked and you see how many rows are new, changed or unchanged, and every "
        "error with its row and column; nothing is written until you confirm. Download the error workbook, correct "
        "the rows and upload them again."
    ),
)
