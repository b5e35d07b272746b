"""One workflow engine for every object that moves through states (reviews, import jobs; nominations, unit reports
and good practices next).

An app declares its `Workflow`: the states, the named transitions (sources, target, the action a user needs, whether
the step returns work and so needs a comment) and a permission callback, since the scope policy lives above this
package. The engine then
- checks a step for one object (`check`: the permission, the source state, the comment) with clear messages;
- moves a whole queryset by one guarded UPDATE (`apply`): only rows still in the state they were read in move, the
  version goes up, and the log rows are written by one bulk INSERT; a row changed meanwhile raises `Changed`;
- moves one row by its id without reading it under a lock (`move`), for the worker and for steps that try one
  transition after another (a job's cancel);
- tells a page which steps a user may take on an object now (`available`, `actions`) or on objects in a state
  somewhere in their scope (`offered`).
Each app keeps its own log table: its model subclasses the abstract `TransitionLog`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .text import MAX_COMMENT_LENGTH, check_text, nfc


class Changed(Exception):
    """Some of the objects left the state they were read in before the UPDATE: nothing was moved."""


@dataclass(frozen=True)
class Transition:
    """One named step: from any of `sources` to `target`.

    `action` is the permission a user needs (an app's action, checked by the workflow's permission callback); a step
    without one is taken by the system only (the worker, a period's close) and never offered to a user. `label`
    says what was done ("returned"), for messages. `sets` are further column values (expressions allowed) written
    by the same UPDATE; `condition` is a further test on the object (a job that stopped reporting progress).
    """

    name: str
    sources: tuple
    target: str
    action: str | None = None
    label: str = ""
    needs_comment: bool = False
    sets: Mapping = field(default_factory=dict, compare=False)
    condition: Callable | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "sources", tuple(self.sources))

    def allows(self, obj, state_field="state"):
        """Whether `obj`, as read, is in a state (and condition) this step starts from."""
        return getattr(obj, state_field) in self.sources and (self.condition is None or self.condition(obj))


class TransitionLog(models.Model):
    """Who moved an object from one state to another, when, and why. Abstract: each app keeps its own table, with
    a foreign key to its object and its own state choices (subclasses redefine `from_state` / `to_state`)."""

    from_state = models.CharField(max_length=20)
    to_state = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    # The name of the text field the engine writes the comment to (an older table may call it otherwise).
    comment_field = "comment"

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


WRONG_STATE = gettext_lazy("This is %(state)s and cannot be %(action)s.")
NEEDS_COMMENT = gettext_lazy("Say what must be corrected.")


class Workflow:
    """The states and transitions of one model, and how its rows move.

    `permission(user, action, obj)` raises (Http404 out of scope, PermissionDenied otherwise) when the user may not
    take `action` on `obj`; `anywhere(user, action)` answers whether the user may take it on some object (for a
    list's bulk buttons). `log` is the TransitionLog subclass and `log_object` its foreign key to the model.
    """

    def __init__(
        self,
        *,
        model,
        states,
        transitions,
        log,
        log_object,
        permission,
        anywhere=None,
        state_field="state",
        version_field=None,
        wrong_state=WRONG_STATE,
    ):
        self.model = model
        self.states = states
        self.transitions = {step.name: step for step in transitions}
        self.log = log
        self.log_object = log_object
        self.permission = permission
        self.anywhere = anywhere
        self.state_field = state_field
        self.version_field = version_field
        self.wrong_state = wrong_state
        for step in self.transitions.values():
            unknown = {step.target, *step.sources} - set(states.values)
            if unknown:
                raise ValueError(f"{model.__name__} transition {step.name!r}: unknown states {sorted(unknown)}")

    def __contains__(self, name):
        return name in self.transitions

    def __iter__(self):
        return iter(self.transitions.values())

    def transition(self, name):
        """The transition called `name`; an unknown name is refused with a message, not a KeyError."""
        try:
            return self.transitions[name]
        except KeyError:
            raise ValidationError(_("Unknown step “%(name)s”.") % {"name": name}) from None

    def user_step(self, name):
        """The transition a user may ask for by `name`, or None (unknown, or taken by the system only)."""
        step = self.transitions.get(name)
        return step if step is not None and step.action is not None else None

    # Checks ---------------------------------------------------------------------------------------------------

    def clean_comment(self, step, comment):
        """The comment, normalised; refused when it holds unsafe characters, is too long, or is missing where the
        step returns work."""
        check_text(comment=comment, max_length=MAX_COMMENT_LENGTH)
        comment = nfc(comment) or ""
        if step.needs_comment and not comment:
            raise ValidationError({"comment": str(NEEDS_COMMENT)})
        return comment

    def permit(self, user, step, obj):
        """Raise unless the user may take `step` on `obj` (a system step is never a user's)."""
        if step.action is None:
            raise PermissionDenied
        self.permission(user, step.action, obj)

    def check(self, user, obj, name):
        """Refuse a step one object cannot take now: permission first (so out of scope stays 404), then the state,
        with a message naming both. Returns the transition."""
        step = self.transition(name)
        self.permit(user, step, obj)
        if not step.allows(obj, self.state_field):
            state = getattr(obj, self.state_field)
            raise ValidationError(
                str(self.wrong_state) % {"state": str(self.states(state).label).lower(), "action": step.label}
            )
        return step

    # What a page offers ---------------------------------------------------------------------------------------

    def available(self, user, obj):
        """The transitions `user` may take on `obj` now, in declaration order."""
        found = []
        for step in self.transitions.values():
            if step.action is None or not step.allows(obj, self.state_field):
                continue
            try:
                self.permission(user, step.action, obj)
            except (PermissionDenied, Http404):
                continue
            found.append(step)
        return found

    def actions(self, user, obj):
        """The names of `available` steps, for a template: `{% if "recognise" in actions %}`."""
        return frozenset(step.name for step in self.available(user, obj))

    def offered(self, user, state):
        """The names of the steps from `state` that `user` may take somewhere (a list's bulk buttons)."""
        return frozenset(
            step.name
            for step in self.transitions.values()
            if step.action is not None and state in step.sources and self.anywhere(user, step.action)
        )

    # Moves ----------------------------------------------------------------------------------------------------

    def _changes(self, step, fields):
        changes = {self.state_field: step.target, **step.sets, **fields}
        if self.version_field:
            changes[self.version_field] = F(self.version_field) + 1
        return changes

    def _log(self, pk, from_state, step, by, comment):
        return self.log(
            **{
                f"{self.log_object}_id": pk,
                "from_state": from_state,
                "to_state": step.target,
                "by": by,
                self.log.comment_field: comment,
            }
        )

    def apply(self, *, user, objects, name, comment="", before=None):
        """Move every object of the queryset `objects` that can take the step; returns the ids moved.

        The comment is checked, then the user's permission on every selected object (one refusal refuses all).
        `before(obj)` may refuse an object about to move by raising. One UPDATE moves the rows still in the state
        they were read in (so the log's `from_state` is true) and raises Changed if any was moved meanwhile; one
        INSERT writes the log. Call it inside a transaction.
        """
        step = self.transition(name)
        comment = self.clean_comment(step, comment)
        selected = list(objects)
        for obj in selected:
            self.permit(user, step, obj)
        candidates = [obj for obj in selected if step.allows(obj, self.state_field)]
        if before is not None:
            for obj in candidates:
                before(obj)
        if not candidates:
            return []
        by_state = {}
        for obj in candidates:
            by_state.setdefault(getattr(obj, self.state_field), []).append(obj.pk)
        guard = Q()
        for state, ids in by_state.items():
            guard |= Q(pk__in=ids, **{self.state_field: state})
        moved = self.model._default_manager.filter(guard).update(**self._changes(step, {}))
        if moved != len(candidates):
            raise Changed
        self.log._default_manager.bulk_create(
            self._log(obj.pk, getattr(obj, self.state_field), step, user, comment) for obj in candidates
        )
        return [obj.pk for obj in candidates]

    def move(self, pk, name, *, by=None, comment="", where=None, **fields):
        """Move one row by its id with a conditional UPDATE (no lock is taken); False if it is in no source state.

        `where` narrows the row further; `fields` are written by the same UPDATE. The comment is stored as given
        (the caller checks what a user typed). With several source states the row's state is read first and the
        UPDATE guarded on it; when someone moved the row in between, the new state is read again.
        """
        step = self.transition(name)
        rows = self.model._default_manager.filter(pk=pk, **(where or {}))
        state = step.sources[0] if len(step.sources) == 1 else self._state_of(rows)
        while state in step.sources:
            if rows.filter(**{self.state_field: state}).update(**self._changes(step, fields)):
                self._log(pk, state, step, by, comment).save()
                return True
            state = self._state_of(rows)
        return False

    def _state_of(self, rows):
        return rows.values_list(self.state_field, flat=True).first()
