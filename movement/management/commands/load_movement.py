from django.core.management.base import BaseCommand

from movement import seed


class Command(BaseCommand):
    help = "Load (or update) a movement from its data file: the campaign, targets, criteria and milestones."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(seed.DEFAULT), help="the movement's JSON data file")

    def handle(self, *args, path, **options):
        loaded = seed.load_movement(seed.read(path))
        verb = "created" if loaded.created else "updated"
        self.stdout.write(
            f"Movement {loaded.movement.code} {verb}: {loaded.criteria} criteria, {loaded.milestones} milestones."
        )
