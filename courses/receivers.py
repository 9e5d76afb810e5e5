from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from common import content_cache

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


@receiver([post_save, post_delete])
def drop_outlines_when_a_page_changes(sender, **kwargs):
    """Publishing, unpublishing, renaming or deleting any page saves or deletes its row."""
    if issubclass(sender, Page):
        content_cache.invalidate()


@receiver(post_page_move)
def drop_outlines_when_a_page_moves(sender, **kwargs):
    content_cache.invalidate()


@receiver([post_save, post_delete], sender=PageViewRestriction)
def drop_outlines_when_a_view_restriction_changes(sender, **kwargs):
    """Members' lesson views skip Wagtail's routing for lessons without a restriction
    (`courses.middleware`): adding or removing one must reach every process at once."""
    content_cache.invalidate()
