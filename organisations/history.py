"""The unit tree as it was on a past day (reads only).

The treebeard tree is the present: current scope stays a path prefix (`path__startswith`),
as fast as ever. Units a merger moved keep their former placements (`UnitPlacement`), and
`TreeAsOf(day)` overlays them on the present tree: a unit moved after `day` counts under
its parent of that day, with everything below it. Mergers move units between units of
the same kind, so a unit's depth never changes; only the branch it hangs from does.

    tree = TreeAsOf(date(2025, 6, 30))
    Membership.objects.current(tree.day).filter(tree.subtree(unit, prefix="unit__"))
    ....annotate(child=tree.group_key(unit, prefix_length=..., prefix="unit__"))
"""

from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Case, CharField, Q, Value, When
from django.db.models.functions import Substr

from .models import OrgUnit, UnitPlacement
from .selectors import path_with_ancestors

__all__ = ["TreeAsOf", "former_children", "former_placements"]

MAX_MOVES = 64  # a unit's branch changes a few times at most; guards against bad data


class TreeAsOf:
    def __init__(self, day: date):
        self.day = day
        # {current path of a unit moved after `day`: current path of its parent on `day`}
        self.moved: dict[str, str] = {}
        seen: set[int] = set()
        placements = (
            UnitPlacement.objects.filter(valid_to__gt=day)
            .select_related("unit", "parent")
            .order_by("unit_id", "valid_to")
        )
        for placement in placements:
            if placement.unit_id in seen:
                continue  # the earliest placement after `day` is where it was on `day`
            seen.add(placement.unit_id)
            parent = placement.parent.path if placement.parent else ""
            self.moved[placement.unit.path] = parent

    @property
    def changed(self) -> bool:
        """Whether the tree on `day` differs from the present one."""
        return bool(self.moved)

    def ancestry(self, path: str) -> list[str]:
        """Current paths of the unit at `path` and of the units above it on `day`, top first."""
        below: list[str] = []
        for _move in range(MAX_MOVES):
            ancestors = path_with_ancestors(path)
            cut = next(
                (i for i in range(len(ancestors) - 1, -1, -1) if ancestors[i] in self.moved), None
            )
            if cut is None:
                return ancestors + below
            below = ancestors[cut:] + below
            path = self.moved[ancestors[cut]]
            if not path:  # it was a top unit then
                return below
        raise ValueError(f"unit placements form a loop around {path}")

    def _moved_under(self, unit: OrgUnit) -> tuple[list[str], list[str]]:
        """(moved units that were under `unit` on `day`, moved units inside those branches
        or under `unit` now that were not under it on `day`), as current paths."""
        came, left = [], []
        for path in self.moved:
            if unit.path in self.ancestry(path):
                if path != unit.path:
                    came.append(path)
            else:
                left.append(path)
        roots = [unit.path, *came]
        left = [p for p in left if any(p.startswith(r) and p != r for r in roots)]
        return came, left

    def subtree(self, unit: OrgUnit, *, prefix: str = "") -> Q:
        """A condition on `{prefix}path`: the units under `unit` (itself included) on `day`."""
        field = f"{prefix}path__startswith"
        own = Q(**{field: unit.path})
        if not self.moved:
            return own
        came, left = self._moved_under(unit)
        condition = reduce(or_, [own, *(Q(**{field: path}) for path in came)])
        # Branches inside those that were elsewhere on `day`, except the parts of them that
        # were under `unit` (each a region of its own above).
        for path in left:
            leaving = Q(**{field: path})
            for back in came:
                if back.startswith(path):
                    leaving &= ~Q(**{field: back})
            condition &= ~leaving
        return condition

    def group_key(self, unit: OrgUnit, *, prefix_length: int, prefix: str = ""):
        """An expression giving, for each row under `unit` on `day`, the current path of its
        unit's ancestor `prefix_length` characters deep on `day` (the unit itself when it is
        shallower): what `Substr(path, 1, prefix_length)` gives for the present tree."""
        field = f"{prefix}path"
        default = Substr(field, 1, prefix_length)
        if not self.moved:
            return default
        came, _left = self._moved_under(unit)
        level = prefix_length // OrgUnit.steplen
        whens = []
        # Deepest first: a moved branch inside another moved branch has its own key.
        for path in sorted(came, key=len, reverse=True):
            if len(path) < prefix_length:
                continue  # deeper groups inside a moved branch are as they are now
            key = self.ancestry(path)[level - 1]
            whens.append(When(**{f"{field}__startswith": path}, then=Value(key)))
        if not whens:
            return default
        return Case(*whens, default=default, output_field=CharField())


def former_placements(unit: OrgUnit):
    """Where `unit` sat before it was moved, oldest first."""
    return unit.placements.select_related("parent").order_by("valid_to")


def former_children(unit: OrgUnit):
    """Units that sat under `unit` and were moved away (by a merger), oldest move first."""
    return (
        UnitPlacement.objects.filter(parent=unit)
        .select_related("unit")
        .order_by("valid_to", "unit__name")
    )
