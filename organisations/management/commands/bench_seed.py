import time

from django.core.management.base import BaseCommand

from organisations import bench


class Command(BaseCommand):
    help = (
        "Build a synthetic province (about 9.2 members a team, communes of 5-15 teams) for bench/."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=10_195)
        parser.add_argument("--prefix", default="BENCH", help="unit code prefix (must be unused)")
        parser.add_argument(
            "--tree-only", action="store_true", help="build the units but no members"
        )
        parser.add_argument("--phone-offset", type=int, default=5_000_000)

    def handle(self, *args, members, prefix, tree_only, phone_offset, **options):
        started = time.perf_counter()
        teams = bench.build_tree(members=members, prefix=prefix)
        if not tree_only:
            bench.fill_teams(teams=teams, members=members, phone_offset=phone_offset)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"{len(teams)} teams, {0 if tree_only else members} members in {elapsed:.1f} s"
        )
