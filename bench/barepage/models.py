"""A plain Wagtail page with the lesson's blocks and nothing else (no progress, no course,
no neighbours): the baseline `bench/lesson_page.py` compares lesson pages with."""

from wagtail.fields import StreamField
from wagtail.models import Page

from courses.blocks import LessonStreamBlock


class BarePage(Page):
    body = StreamField(LessonStreamBlock())
