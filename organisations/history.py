"""The unit tree as it was on a past day (reads only).

The treebeard tree is the present: current scope stays a path prefix (`path__startswith`),
as fast as ever. Units a merger moved keep their former placements (`UnitPlacement`), and
`TreeAsOf(day)` overlays them on the present tree: a unit moved after `day` counts under
its parent of that day, with everything below it. Mergers move units between units of
the same kind, so a unit's depth never changes; only the branch it hangs from does.

    tree = TreeAsOf(date(2025, 6, 30))
    Membership.objects.current(tree.day).filter(tree.subtree(unit, prefix="unit__"))
    tree.key_at(team.path, prefix_length=len(commune.path))  # its commune on that day
"""

from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q

from .models import OrgUnit, UnitPlacement
from .selectors import path_with_ancestors

__all__ = ["TreeAsOf", "former_children", "former_placements"]

MAX_MOVES = 64  # a unit's branch changes a few times at most; guards against bad data


class TreeAsOf:
    """`within`: only the moves that concern that unit's branch are read (a few queries,
    whatever number of mergers the rest of the country had)."""

    def __init__(self, day: date, *, within: OrgUnit | None = None):
        self.day = day
        # {current path of a unit moved after `day`: current path of its parent on `day`}
        self.moved: dict[str, str] = {}
        placements = UnitPlacement.objects.filter(valid_to__gt=day)
        if within is not None:
            placements = placements.filter(unit_id__in=self._concerning(placements, within))
        seen: set[int] = set()
        placements = placements.select_related("unit", "parent").order_by("unit_id", "valid_to")
        for placement in placements:
            if placement.unit_id in seen:
                continue  # the earliest placement after `day` is where it was on `day`
            seen.add(placement.unit_id)
            parent = placement.parent.path if placement.parent else ""
            self.moved[placement.unit.path] = parent

    @staticmethod
    def _concerning(placements, unit: OrgUnit) -> set[int]:
        """Ids of the units moved (after the day) into, out of or within `unit`'s branch,
        then of those moved into, out of or within the branches found, and so on."""
        found: set[int] = set()
        explored: list[str] = []
        frontier = [unit.path]
        for _round in range(MAX_MOVES):
            if not frontier:
                break
            explored += frontier
            near = reduce(
                or_,
                (Q(unit__path__startswith=p) | Q(parent__path__startswith=p) for p in frontier),
            )
            fresh = dict(
                placements.filter(near)
                .exclude(unit_id__in=found)
                .values_list("unit_id", "unit__path")
            )
            found |= set(fresh)
            # Only branches outside those read already can hold more (the outermost of each).
            outside = sorted(
                {p for p in fresh.values() if not any(p.startswith(e) for e in explored)}
            )
            frontier = [
                p for i, p in enumerate(outside) if not any(p.startswith(q) for q in outside[:i])
            ]
        return found

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
        # Branches still under `unit` are in its own region already, unless they sit in a
        # branch that left it.
        came = [
            path
            for path in came
            if not path.startswith(unit.path) or any(path.startswith(out) for out in left)
        ]
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

    def key_at(self, path: str, prefix_length: int) -> str:
        """The current path of the unit's ancestor `prefix_length` characters deep on `day`
        (the unit itself when it is not that deep): what `path[:prefix_length]` gives in
        the present tree."""
        if len(path) <= prefix_length:
            return path
        return self.ancestry(path)[prefix_length // OrgUnit.steplen - 1]


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
