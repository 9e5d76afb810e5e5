"""The demo tree has a past, so mergers and reports for past periods can be tried with it."""

from datetime import date

DEMO_SINCE = date(2024, 1, 1)


def give_the_demo_tree_a_past(province) -> None:
    """Date the demo units and their members' roles from 1 January 2024: a merger dated
    01/07/2025 (as in the 2025 reform) is then accepted, and a report for the first half of
    2025 shows the units as they were before it."""
    from organisations.models import Membership, OrgUnit

    units = OrgUnit.objects.filter(path__startswith=province.path)
    Membership.objects.filter(unit__in=units).update(started_on=DEMO_SINCE)
    units.update(valid_from=DEMO_SINCE)
