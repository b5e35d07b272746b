from django.core.management.base import BaseCommand

from households import demo
from units.demo import DEMO_PASSWORD, ensure_demo_users
from units.services import load_unit_tree


class Command(BaseCommand):
    help = (
        "Load the real unit tree, one demo account per role, villages for every commune and a synthetic registry "
        "(households, members, reviews 2021-2025). Idempotent: existing households are never added to."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=3000, help="households to create (600000: benchmark)")

    def handle(self, *args, **options):
        result = load_unit_tree()
        self.stdout.write(f"Units: {result.created} created, {result.renamed} renamed, {result.ended} ended.")
        accounts = ensure_demo_users()
        seeded = demo.seed(households=options["households"], log=self.stdout.write)
        if seeded.villages:
            self.stdout.write(f"Villages: {seeded.villages:,} created.")
        if seeded.created:
            self.stdout.write(
                f"Households: {seeded.households:,} created in {seeded.seconds:.1f} s "
                f"(load {seeded.phases['load']:.1f} s, of which COPY {seeded.phases['copy']:.1f} s; "
                f"vacuum and analyse {seeded.phases['analyse']:.1f} s)."
            )
            for year, classes in sorted(demo.yearly_totals().items()):
                self.stdout.write(
                    f"  {year}: {classes.get('poor', 0):,} poor, {classes.get('near_poor', 0):,} near-poor households"
                )
        else:
            self.stdout.write(f"Households: {seeded.households:,} already present; none added.")
        self.stdout.write(f"\nDemo accounts, password for all: {DEMO_PASSWORD}")
        for account, unit in accounts:
            self.stdout.write(f"  {account.username:<16} {account.role.label} — {unit.name}")
