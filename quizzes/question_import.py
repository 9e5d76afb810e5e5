"""Reading and checking question files. Nothing here writes to the database.

One row per question: topic, type, question, answers A–F, the letters of the correct
answers ("B" or "A, C"), explanation, difficulty (1–3). Each answer is checked with the
model field it goes into (its length), questions repeated in the file are refused, and
those already in the bank (same topic and text) are marked to be skipped.
"""

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import spreadsheets
from common.spreadsheets import Table
from common.text import fold
from courses.models import Topic

from .models import Choice, Question, QuestionKind

MAX_ROWS = 2_000
LETTERS = "ABCDEF"
TEMPLATE_HEADERS = [
    "Chủ đề",
    "Loại",
    "Câu hỏi",
    *[f"Đáp án {letter}" for letter in LETTERS],
    "Đáp án đúng",
    "Giải thích",
    "Độ khó",
]
COLUMNS = {
    "topic": gettext_lazy("Topic"),
    "kind": gettext_lazy("Type"),
    "text": gettext_lazy("Question"),
    "correct": gettext_lazy("Correct answers"),
    "difficulty": gettext_lazy("Difficulty"),
}
_KINDS = {
    "": QuestionKind.SINGLE,
    "mot dap an": QuestionKind.SINGLE,
    "single": QuestionKind.SINGLE,
    "nhieu dap an": QuestionKind.MULTIPLE,
    "multiple": QuestionKind.MULTIPLE,
    "dung/sai": QuestionKind.TRUE_FALSE,
    "dung sai": QuestionKind.TRUE_FALSE,
    "true/false": QuestionKind.TRUE_FALSE,
}


def template_rows() -> list[list[str]]:
    return [
        [
            "Lừa đảo trực tuyến",
            "Một đáp án",
            "Ai được biết mã OTP của bạn?",
            "Nhân viên ngân hàng",
            "Công an",
            "Chỉ mình bạn",
            "",
            "",
            "",
            "C",
            "Không cung cấp OTP qua bất kỳ kênh nào.",
            "1",
        ],
        [
            "An toàn thông tin",
            "Nhiều đáp án",
            "Việc nào giúp bảo vệ tài khoản?",
            "Bật xác thực hai lớp",
            "Dùng chung một mật khẩu",
            "Cập nhật ứng dụng",
            "",
            "",
            "",
            "A, C",
            "",
            "2",
        ],
        [
            "An toàn thông tin",
            "Đúng/Sai",
            "Nên cài ứng dụng theo đường link trong tin nhắn.",
            "Đúng",
            "Sai",
            "",
            "",
            "",
            "",
            "B",
            "",
            "1",
        ],
    ]


def _positions(header: list[str]) -> dict[str, int]:
    folded = [fold(title) for title in header]
    wanted = {
        "topic": "chu de",
        "kind": "loai",
        "text": "cau hoi",
        "correct": "dap an dung",
        "explanation": "giai thich",
        "difficulty": "do kho",
    }
    positions = {key: folded.index(name) for key, name in wanted.items() if name in folded}
    for letter in LETTERS:
        name = f"dap an {letter.lower()}"
        if name in folded:
            positions[letter] = folded.index(name)
    missing = [str(COLUMNS[key]) for key in ("topic", "text", "correct") if key not in positions]
    if missing or "A" not in positions or "B" not in positions:
        raise spreadsheets.SpreadsheetError(
            _(
                "The header row must contain the columns of the template (Chủ đề, Câu hỏi, "
                "Đáp án A, Đáp án B, Đáp án đúng). Download the template to see them."
            )
        )
    return positions


def stored_text(text: str) -> str:
    """The question's text as the import stores it (rich text, one paragraph)."""
    return f"<p>{escape(text)}</p>"


def _answer_problem(text: str) -> str:
    try:
        Choice._meta.get_field("text").clean(text, None)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def check_questions(*, table: Table) -> tuple[list[dict], list[dict]]:
    positions = _positions(table.header)
    topics = {fold(topic.name): topic.pk for topic in Topic.objects.all()}
    topics.update({topic.slug: topic.pk for topic in Topic.objects.all()})
    rows, errors = [], []

    def cell(row, key):
        index = positions.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    seen: dict[tuple[int, str], int] = {}
    for number, row in table.body:
        problems = []
        topic_id = topics.get(fold(cell(row, "topic")))
        if topic_id is None:
            problems.append(
                ("topic", _("Unknown topic “%(topic)s”.") % {"topic": cell(row, "topic")})
            )
        kind = _KINDS.get(fold(cell(row, "kind")))
        if kind is None:
            problems.append(("kind", _("Unknown type: use Một đáp án, Nhiều đáp án or Đúng/Sai.")))
        text = cell(row, "text")
        if not text:
            problems.append(("text", _("The question is missing.")))
        answers = [(letter, cell(row, letter)) for letter in LETTERS if cell(row, letter)]
        for letter, answer in answers:
            problem = _answer_problem(answer)
            if problem:
                problems.append((letter, problem))
        if topic_id is not None and text:
            key = (topic_id, fold(text))
            if key in seen:
                problems.append(
                    ("text", _("The same question is on row %(row)s.") % {"row": seen[key]})
                )
            else:
                seen[key] = number
        letters = {
            part.strip().upper()
            for part in cell(row, "correct").replace(";", ",").split(",")
            if part.strip()
        }
        given = {letter for letter, _text in answers}
        if len(answers) < 2:
            problems.append(("correct", _("Give at least two answers.")))
        if not letters or not letters <= given:
            problems.append(
                (
                    "correct",
                    _("The correct answers must be letters of answers given (e.g. B or A, C)."),
                )
            )
        elif kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(letters) != 1:
            problems.append(("correct", _("This type has exactly one correct answer.")))
        if kind == QuestionKind.TRUE_FALSE and len(answers) != 2:
            problems.append(("kind", _("A true/false question has exactly two answers.")))
        difficulty = cell(row, "difficulty") or "1"
        if difficulty not in ("1", "2", "3"):
            problems.append(("difficulty", _("Difficulty is 1, 2 or 3.")))
        for key, message in problems:
            column = COLUMNS.get(key) or _("Answer %(letter)s") % {"letter": key}
            errors.append({"row": number, "column": str(column), "message": message})
        if not problems:
            rows.append(
                {
                    "row": number,
                    "topic_id": topic_id,
                    "kind": str(kind),
                    "text": text,
                    "answers": [
                        {"text": answer, "is_correct": letter in letters}
                        for letter, answer in answers
                    ],
                    "explanation": cell(row, "explanation"),
                    "difficulty": int(difficulty),
                }
            )
    return rows, errors


def read_and_check(*, name: str, file, progress=None) -> tuple[int, list[dict], list[dict]]:
    """(rows in the file, valid rows, errors). Valid rows whose question is already in the
    bank carry "exists": True and will be skipped."""
    table = spreadsheets.read_table(name=name, file=file, max_rows=MAX_ROWS, progress=progress)
    rows, errors = check_questions(table=table)
    mark_existing(rows)
    return len(table.body), rows, errors


def mark_existing(rows: list[dict]) -> int:
    """Mark the rows whose question (topic and text) is already in the bank."""
    existing = set(
        Question.objects.filter(
            topic_id__in={row["topic_id"] for row in rows},
            text__in=[stored_text(row["text"]) for row in rows],
        ).values_list("topic_id", "text")
    )
    count = 0
    for row in rows:
        row["exists"] = (row["topic_id"], stored_text(row["text"])) in existing
        count += row["exists"]
    return count
