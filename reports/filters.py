"""What a report is asked for: the filters of a dashboard, a member list or an export, typed
and limited to what the viewer may use, and the unit it is about."""

from dataclasses import dataclass, field
from datetime import date

from accounts.models import User
from common.params import parse_date, parse_id
from courses.models import CoursePage
from organisations.models import TEAM_ROLES, OrgUnit
from organisations.selectors import units_visible_to
from training.models import Campaign
from training.selectors import campaigns_covering

__all__ = ["Filters", "filters_from_params", "visible_unit"]


@dataclass(frozen=True)
class Filters:
    course: CoursePage | None = None
    campaign: Campaign | None = None
    role: str = ""
    date_from: date | None = None
    date_to: date | None = None
    courses: list[CoursePage] = field(default_factory=list, compare=False)

    def __post_init__(self) -> None:
        if self.campaign is not None:
            courses = list(self.campaign.courses.order_by("path"))
        else:
            courses = [self.course] if self.course else []
        object.__setattr__(self, "courses", courses)

    def as_params(self) -> dict:
        return {
            "course": self.course.pk if self.course else None,
            "campaign": self.campaign.pk if self.campaign else None,
            "role": self.role,
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def filters_from_params(params: dict, viewer: User) -> Filters:
    """Filters from stored or submitted ids, keeping only what the viewer may use."""
    course = campaign = None
    if parse_id(params.get("course")):
        course = CoursePage.objects.live().filter(pk=parse_id(params["course"])).first()
    if parse_id(params.get("campaign")):
        campaign = (
            campaigns_covering(viewer)
            .filter(pk=parse_id(params["campaign"]))  # type: ignore[misc]  # an id: checked above
            .first()
        )
    role = params.get("role") or ""
    return Filters(
        course=course,
        campaign=campaign,
        role=role if role in TEAM_ROLES else "",
        date_from=parse_date(params.get("date_from")),
        date_to=parse_date(params.get("date_to")),
    )


def visible_unit(
    viewer: User, unit_id: str | int | None, *, roots: list[OrgUnit] | None = None
) -> OrgUnit | None:
    """The unit with that id if the viewer may see it; None for any other value."""
    pk = parse_id(unit_id)
    if pk is None:
        return None
    return units_visible_to(viewer, roots=roots).filter(pk=pk).first()
