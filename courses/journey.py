"""A member's way through a course: its steps in order (lessons, and what higher apps add,
such as the final quiz), the next one to take, and what completing it brings (a certificate).

Higher apps register providers at start-up, so `courses` never imports them:
`register_steps(provider)` with provider(user, courses) -> {course id: [Step, ...]},
`register_reward(provider)` with provider(user, completed course ids) -> {course id: Reward}.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from accounts.models import User

__all__ = ["Journey", "Reward", "Step", "journeys_for", "register_reward", "register_steps"]


@dataclass
class Step:
    kind: str  # "lesson", "quiz"
    title: str
    url: str
    path: str  # tree order
    done: bool
    status: str = ""
    required: bool = True
    started: bool = False
    blocked: bool = False  # e.g. a quiz with no attempts left: shown, but not "next"
    action: str = ""  # the button's words when it is the next step
    extra: dict = field(default_factory=dict)


@dataclass
class Reward:
    title: str
    url: str = ""
    pending: bool = False
    secondary_url: str = ""
    revoked: bool = False  # the member's certificate was revoked: nothing is on its way


@dataclass
class Journey:
    steps: list[Step]
    completed: bool
    rewards: list[Reward]

    @property
    def next_step(self) -> Step | None:
        """The first required step not done (a blocked one too: it says what to do), else
        the first optional step not done."""
        if self.completed:
            return None
        for step in self.steps:
            if step.required and not step.done:
                return step
        return next((step for step in self.steps if not step.done), None)

    @property
    def started(self) -> bool:
        return any(step.started or step.done for step in self.steps)

    @property
    def lessons(self) -> list[Step]:
        return [step for step in self.steps if step.kind == "lesson"]

    @property
    def others(self) -> list[Step]:
        return [step for step in self.steps if step.kind != "lesson"]


_step_providers: list[Callable] = []
_reward_providers: list[Callable] = []


def register_steps(provider: Callable) -> Callable:
    _step_providers.append(provider)
    return provider


def register_reward(provider: Callable) -> Callable:
    _reward_providers.append(provider)
    return provider


def journeys_for(user: User, courses: list) -> dict[int, Journey]:
    """One Journey per course; `courses` carry `is_completed` (see selectors.with_progress)."""
    if not courses:
        return {}
    steps: dict[int, list[Step]] = {course.pk: [] for course in courses}
    for provider in _step_providers:
        for course_id, extra in provider(user, courses).items():
            steps.setdefault(course_id, []).extend(extra)
    completed_ids = [course.pk for course in courses if getattr(course, "is_completed", False)]
    rewards: dict[int, list[Reward]] = {}
    if completed_ids and user.is_authenticated:
        for provider in _reward_providers:
            for course_id, reward in provider(user, completed_ids).items():
                rewards.setdefault(course_id, []).append(reward)
    return {
        course.pk: Journey(
            steps=sorted(steps.get(course.pk, []), key=lambda step: step.path),
            completed=course.pk in completed_ids,
            rewards=rewards.get(course.pk, []),
        )
        for course in courses
    }
