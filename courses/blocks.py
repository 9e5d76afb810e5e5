"""Blocks for lessons that teach digital skills to adults on small phones.

Every block has its own template in templates/courses/blocks/ and works without JavaScript.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class ImageWithCaptionBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("description for screen readers"),
        required=False,
        help_text=_("What the picture shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video: a link to a hosted video or an uploaded file. Never autoplays; nothing heavy
    loads until the member taps it."""

    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("video address (YouTube, Facebook…)"), required=False)
    file = DocumentChooserBlock(label=_("uploaded video file (.mp4)"), required=False)
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    duration = blocks.CharBlock(label=_("duration"), required=False, help_text=_("e.g. 3:20"))
    caption = blocks.TextBlock(label=_("what the video shows"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("url")) == bool(value.get("file")):
            message = _("Give either a video address or an uploaded file, not both.")
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(message), "file": ValidationError(message)}
            )
        return value


class StepBlock(blocks.StructBlock):
    screenshot = ImageChooserBlock(label=_("phone screenshot"), required=False)
    text = blocks.RichTextBlock(label=_("what to do"), features=["bold", "italic", "link"])


class StepByStepBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    steps = blocks.ListBlock(StepBlock(), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Step-by-step guide")
        template = "courses/blocks/step_by_step.html"


class ScamAlertBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("name of the scam"))
    tactic = blocks.TextBlock(label=_("how the scam works"))
    red_flags = blocks.ListBlock(blocks.CharBlock(), label=_("red flags"), min_num=1)
    what_to_do = blocks.ListBlock(blocks.CharBlock(), label=_("what to do"), min_num=1)
    report_to = blocks.CharBlock(
        label=_("where to report"),
        required=False,
        default="Gọi 156 hoặc nhắn tin 5656 (miễn phí); báo ngay Công an xã nơi gần nhất.",
    )

    class Meta:
        icon = "warning"
        label = _("Scam alert")
        template = "courses/blocks/scam_alert.html"


class DoDontBlock(blocks.StructBlock):
    do_items = blocks.ListBlock(blocks.CharBlock(), label=_("do"), min_num=1)
    dont_items = blocks.ListBlock(blocks.CharBlock(), label=_("don't"), min_num=1)

    class Meta:
        icon = "tick-inverse"
        label = _("Do and don't")
        template = "courses/blocks/do_dont.html"


class KeyTakeawaysBlock(blocks.StructBlock):
    items = blocks.ListBlock(blocks.CharBlock(), label=_("takeaways"), min_num=1)

    class Meta:
        icon = "pick"
        label = _("Key takeaways")
        template = "courses/blocks/key_takeaways.html"


class HandoutBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("file"))
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable handout")
        template = "courses/blocks/handout.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("info", _("Good to know"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link"])

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("answer"))
    is_correct = blocks.BooleanBlock(label=_("correct"), required=False)


class KnowledgeCheckBlock(blocks.StructBlock):
    """One ungraded question. Without JavaScript the member's choice is sent as a GET
    parameter and the page comes back with the feedback in place."""

    question = blocks.CharBlock(label=_("question"))
    # Opens with two empty answer rows: a check needs at least two answers.
    choices = blocks.ListBlock(
        ChoiceBlock(),
        label=_("answers"),
        min_num=2,
        max_num=6,
        default=[{"text": "", "is_correct": False}, {"text": "", "is_correct": False}],
    )
    explanation = blocks.TextBlock(label=_("explanation"))

    class Meta:
        icon = "help"
        label = _("Knowledge check")
        template = "courses/blocks/knowledge_check.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(choice["is_correct"] for choice in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(_("Mark at least one answer as correct."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        block_id = (parent_context or {}).get("block_id", "")
        chosen = None
        if request is not None and block_id and request.GET.get("check") == block_id:
            try:
                chosen = int(request.GET.get("answer", ""))
            except ValueError:
                chosen = None
            if chosen is not None and not 0 <= chosen < len(value["choices"]):
                chosen = None
        context.update(
            block_id=block_id,
            chosen=chosen,
            answered=chosen is not None,
            correct=chosen is not None and value["choices"][chosen]["is_correct"],
        )
        return context


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        template="courses/blocks/text.html",
        icon="pilcrow",
    )
    image = ImageWithCaptionBlock()
    video = VideoBlock()
    steps = StepByStepBlock()
    scam_alert = ScamAlertBlock()
    do_dont = DoDontBlock()
    takeaways = KeyTakeawaysBlock()
    handout = HandoutBlock()
    callout = CalloutBlock()
    knowledge_check = KnowledgeCheckBlock()


__all__ = ["LessonStreamBlock"]
