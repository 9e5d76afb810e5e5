"""Attending an in-person session as a requirement of completing a course (for courses
with "requires attending an in-person training session" ticked)."""

from courses.completion import register_requirement


@register_requirement("in_person_session_attended")
def in_person_session_attended(user, course) -> bool | None:
    if not getattr(course, "requires_session_attendance", False):
        return None
    from .selectors import attended_user_ids

    return attended_user_ids(course).filter(user_id=user.pk).exists()
