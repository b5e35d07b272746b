"""The import job's workflow: the only moves a job can make, who makes them (the worker, or a user who may import
into the job's unit) and the log they leave. Services and the pipeline move jobs by these names only, with
`JOBS.move`: a conditional UPDATE, not SELECT ... FOR UPDATE, since a running job's transaction holds key-share
locks on the job row (its row errors point to it) and a cancel request must not queue behind them."""

from common.workflow import Transition, Workflow
from units import policy
from units.roles import Action

from .models import ImportJob, ImportTransition, JobState

S = JobState


def require_import(user, importer, unit):
    """The user may import into `unit` and take the importer's own action there (MANAGE for users)."""
    for action in sorted(importer.required_actions):
        policy.require(user, action, unit)


def _require(user, action, job):
    if job.unit_id:
        require_import(user, job.importer, job.unit)


JOBS = Workflow(
    model=ImportJob,
    states=JobState,
    log=ImportTransition,
    log_object="job",
    permission=_require,
    transitions=(
        # The worker's check of the uploaded file, and its three outcomes.
        Transition("check", sources=(S.UPLOADED,), target=S.VALIDATING),
        Transition("pass", sources=(S.VALIDATING,), target=S.VALIDATED),
        Transition("refuse", sources=(S.VALIDATING,), target=S.INVALID),
        Transition("settle", sources=(S.VALIDATING,), target=S.DONE),  # nothing to change: the file matches
        # A user imports the valid rows of a file with errors (only when some were staged).
        Transition(
            "import_valid",
            sources=(S.INVALID,),
            target=S.VALIDATED,
            action=Action.IMPORT,
            condition=lambda job: bool(job.staging),
        ),
        # The worker imports a confirmed job.
        Transition("start", sources=(S.VALIDATED,), target=S.APPLYING),
        Transition("finish", sources=(S.APPLYING,), target=S.DONE),
        Transition("fail", sources=(S.UPLOADED, S.VALIDATING, S.APPLYING, S.CANCEL_REQUESTED), target=S.FAILED),
        # A user cancels a waiting job at once, asks a running one to stop, or gives up one that lost its worker.
        Transition("cancel", sources=(S.UPLOADED, S.VALIDATED), target=S.CANCELLED, action=Action.IMPORT),
        Transition(
            "request_cancel", sources=(S.VALIDATING, S.APPLYING), target=S.CANCEL_REQUESTED, action=Action.IMPORT
        ),
        Transition(
            "abandon",
            sources=(S.VALIDATING, S.APPLYING, S.CANCEL_REQUESTED),
            target=S.FAILED,
            action=Action.IMPORT,
            condition=lambda job: job.is_stale,
        ),
        # The worker stops on a cancel request it saw (the request itself may not show).
        Transition("stop", sources=(S.VALIDATING, S.APPLYING, S.CANCEL_REQUESTED), target=S.CANCELLED),
        # A checked job nobody confirmed is cancelled after some days (services.clean_up_files).
        Transition("expire", sources=(S.VALIDATED, S.INVALID), target=S.CANCELLED),
    ),
)

# The steps behind a user's "Cancel the import" button (services.cancel_job picks the one that applies).
CANCEL_STEPS = ("cancel", "abandon", "request_cancel")
