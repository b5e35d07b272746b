from django.core.management.base import BaseCommand

from awards.catalogue import seed


class Command(BaseCommand):
    help = (
        "Load the awards catalogue (award types, dated bonus multiples and base salaries, the movement's occasions "
        "and example quotas) from its data file; idempotent, never overwrites what an administrator changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(seed.DEFAULT), help="the catalogue's JSON data file")

    def handle(self, *args, path, **options):
        loaded = seed.load_awards(seed.read(path))
        created = ", ".join(f"{count} {name}" for name, count in loaded.created.items())
        self.stdout.write(f"Awards catalogue loaded; created: {created}.")
