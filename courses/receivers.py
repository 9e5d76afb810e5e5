from django.db import transaction
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from . import services
from .models import LessonPage, LessonSearchText


@receiver(page_published, sender=LessonPage)
def index_published_lesson(sender, instance, **kwargs):
    services.index_lesson_text(lesson=instance)


@receiver(page_published, sender=LessonPage)
def ask_members_to_restudy(sender, instance, revision=None, **kwargs):
    """The "must re-study" tick applies to the publish it was ticked for, so it is cleared
    on the page and in the published revision: later small edits do not ask again."""
    if not instance.requires_restudy:
        return
    with transaction.atomic():
        services.request_restudy(lesson=instance, revision_id=revision.pk if revision else None)
        LessonPage.objects.filter(pk=instance.pk).update(requires_restudy=False)
        instance.requires_restudy = False
        if revision is not None:
            revision.content["requires_restudy"] = False
            revision.save(update_fields=["content"])


@receiver(page_unpublished, sender=LessonPage)
def forget_unpublished_lesson(sender, instance, **kwargs):
    LessonSearchText.objects.filter(lesson=instance).delete()
