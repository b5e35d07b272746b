from django.core.management.base import BaseCommand

from movement import demo as demo_records
from movement import seed


class Command(BaseCommand):
    help = (
        "Load (or update) a movement from its data file: the campaign, targets, criteria and milestones; with "
        "--demo, also the demo's records of it (make run only, never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(seed.DEFAULT), help="the movement's JSON data file")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="add the demo records (targets, registrations, plans, good practices, support) over seed_demo's "
            "registry; idempotent",
        )

    def handle(self, *args, path, demo, **options):
        loaded = seed.load_movement(seed.read(path))
        verb = "created" if loaded.created else "updated"
        self.stdout.write(
            f"Movement {loaded.movement.code} {verb}: {loaded.criteria} criteria, {loaded.milestones} milestones."
        )
        if demo:
            demo_records.seed(loaded.movement, log=self.stdout.write)
