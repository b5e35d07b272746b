from django.core.management.base import BaseCommand
from django.db.models import Q

from units.choices import UnitKind
from units.demo import DEMO_PASSWORD, ensure_demo_users, ensure_villages
from units.models import Unit
from units.services import load_unit_tree


class Command(BaseCommand):
    help = "Load the real unit tree and a demo data set with one account per role (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000, help="demo households to create")

    def handle(self, *args, **options):
        result = load_unit_tree()
        self.stdout.write(f"Units: {result.created} created, {result.renamed} renamed, {result.ended} ended.")
        district = Unit.objects.get(kind=UnitKind.DISTRICT, code="344")
        for commune in Unit.objects.filter(Q(parent=district), kind=UnitKind.COMMUNE):
            ensure_villages(commune, 6)
        accounts = ensure_demo_users()
        self.stdout.write(f"\nDemo accounts, password for all: {DEMO_PASSWORD}")
        for demo, unit in accounts:
            self.stdout.write(f"  {demo.username:<16} {demo.role.label} — {unit.name}")
