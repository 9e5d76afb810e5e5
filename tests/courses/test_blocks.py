"""Every lesson block renders, with and without its optional fields."""

import io

import pytest
from django.core.files.images import ImageFile
from django.test import RequestFactory
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from courses.blocks import LessonStreamBlock

pytestmark = pytest.mark.django_db


@pytest.fixture
def picture():
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), "blue").save(buffer, format="PNG")
    return Image.objects.create(title="Màn hình VNeID", file=ImageFile(buffer, name="anh.png"))


@pytest.fixture
def handout():
    from django.core.files.base import ContentFile

    document = Document(title="Cẩm nang chống lừa đảo")
    document.file.save("cam-nang.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    return document


def render(block_type, value, *, query=""):
    stream_block = LessonStreamBlock()
    child = stream_block.child_blocks[block_type]
    request = RequestFactory().get("/" + query)
    context = {"request": request, "block_id": "abc"}
    return child.render(child.to_python(value), context)


def full_and_minimal(picture, handout):
    return {
        "text": ("<p>Đoạn <b>văn</b></p>", "<p>x</p>", ["<b>văn</b>"]),
        "image": (
            {"image": picture.pk, "alt_text": "Màn hình", "caption": "Chú thích"},
            {"image": picture.pk, "alt_text": "", "caption": ""},
            ["Chú thích", "webp", 'loading="lazy"'],
        ),
        "video": (
            {
                "title": "Hướng dẫn",
                "url": "https://youtu.be/x",
                "file": None,
                "poster": picture.pk,
                "duration": "3:20",
                "caption": "Cách cài",
            },
            {
                "title": "Tệp",
                "url": "",
                "file": handout.pk,
                "poster": None,
                "duration": "",
                "caption": "",
            },
            ["Hướng dẫn", "3:20"],
        ),
        "steps": (
            {"title": "Các bước", "steps": [{"screenshot": picture.pk, "text": "<p>Mở app</p>"}]},
            {"title": "Các bước", "steps": [{"screenshot": None, "text": "<p>Mở app</p>"}]},
            ["Mở app", "<ol"],
        ),
        "scam_alert": (
            {
                "title": "Giả danh",
                "tactic": "Gọi",
                "red_flags": ["Đòi tiền"],
                "what_to_do": ["Tắt máy"],
                "report_to": "156",
            },
            {
                "title": "Giả danh",
                "tactic": "Gọi",
                "red_flags": ["Đòi tiền"],
                "what_to_do": ["Tắt máy"],
                "report_to": "",
            },
            ["Giả danh", "Đòi tiền", "Tắt máy"],
        ),
        "do_dont": (
            {"do_items": ["Nên"], "dont_items": ["Không nên"]},
            {"do_items": ["a"], "dont_items": ["b"]},
            ["Nên", "Không nên"],
        ),
        "takeaways": ({"items": ["Ý chính"]}, {"items": ["x"]}, ["Ý chính"]),
        "handout": (
            {"document": handout.pk, "description": "Bản in"},
            {"document": handout.pk, "description": ""},
            ["Cẩm nang chống lừa đảo", "Bản in"],
        ),
        "callout": (
            {"kind": "warning", "title": "Chú ý", "text": "<p>Cẩn thận</p>"},
            {"kind": "tip", "title": "", "text": "<p>Mẹo</p>"},
            ["Chú ý", "Cẩn thận"],
        ),
        "knowledge_check": (
            {
                "question": "Ai được biết OTP?",
                "explanation": "Chỉ bạn",
                "choices": [
                    {"text": "Ngân hàng", "is_correct": False},
                    {"text": "Chỉ mình bạn", "is_correct": True},
                ],
            },
            {
                "question": "Câu?",
                "explanation": "Vì",
                "choices": [{"text": "a", "is_correct": True}, {"text": "b", "is_correct": False}],
            },
            ["Ai được biết OTP?", 'type="radio"'],
        ),
    }


def test_every_block_renders_with_and_without_optional_fields(picture, handout):
    cases = full_and_minimal(picture, handout)
    assert set(cases) == set(LessonStreamBlock().child_blocks)
    for block_type, (full, minimal, expected) in cases.items():
        html = render(block_type, full)
        for text in expected:
            assert text in html, (block_type, text)
        assert render(block_type, minimal).strip(), block_type


def test_video_never_autoplays(picture, handout):
    cases = full_and_minimal(picture, handout)
    for value in cases["video"][:2]:
        html = render("video", value)
        assert "autoplay" not in html
    assert 'preload="none"' in render("video", cases["video"][1])


def test_knowledge_check_gives_feedback_without_javascript(picture, handout):
    value = full_and_minimal(picture, handout)["knowledge_check"][0]
    before = render("knowledge_check", value)
    assert "Chỉ bạn" not in before  # the explanation is not in the page before answering
    assert 'method="get"' in before
    wrong = render("knowledge_check", value, query="?check=abc&answer=0")
    right = render("knowledge_check", value, query="?check=abc&answer=1")
    assert "is-wrong" in wrong and "Chỉ bạn" in wrong
    assert "is-correct" in right
    garbage = render("knowledge_check", value, query="?check=abc&answer=99")
    assert "check-feedback" not in garbage
