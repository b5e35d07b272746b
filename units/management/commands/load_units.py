from django.core.management.base import BaseCommand

from units.services import load_unit_tree


class Command(BaseCommand):
    help = "Load the Thái Bình unit tree (2020-2024 communes, the late-2024 merger, provincial participants)."

    def handle(self, *args, **options):
        result = load_unit_tree()
        self.stdout.write(
            f"Units: {result.created} created, {result.updated} updated, {result.renamed} renamed, "
            f"{result.ended} ended by the 2024 merger, {result.successors} successors set."
        )
