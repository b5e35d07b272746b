from django.core.management.base import BaseCommand, CommandError

from awards import demo as demo_records
from awards.catalogue import seed
from movement.models import Movement


class Command(BaseCommand):
    help = (
        "Load the awards catalogue (award types, dated bonus multiples and base salaries, the movement's occasions "
        "and example quotas) from its data file; idempotent, never overwrites what an administrator changed. With "
        "--demo, also the demo's nominations and an award (make run only, never in production)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(seed.DEFAULT), help="the catalogue's JSON data file")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="add the demo nominations of the final review over seed_demo's registry and the demo movement; "
            "idempotent",
        )

    def handle(self, *args, path, demo, **options):
        data = seed.read(path)
        loaded = seed.load_awards(data)
        created = ", ".join(f"{count} {name}" for name, count in loaded.created.items())
        self.stdout.write(f"Awards catalogue loaded; created: {created}.")
        if demo:
            movement = Movement.objects.filter(code=data["occasions"]["movement"]).first()
            if movement is None:
                raise CommandError("Load the movement first (load_movement): the demo nominates for its occasions.")
            demo_records.seed(movement, log=self.stdout.write)
