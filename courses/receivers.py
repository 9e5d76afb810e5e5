from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import services
from .models import LessonPage, LessonSearchText


@receiver(page_published, sender=LessonPage)
def index_published_lesson(sender, instance, **kwargs):
    services.index_lesson_text(lesson=instance)


@receiver(page_unpublished, sender=LessonPage)
def forget_unpublished_lesson(sender, instance, **kwargs):
    LessonSearchText.objects.filter(lesson=instance).delete()
