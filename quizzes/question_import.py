"""Reading and checking question files. Nothing here writes to the database.

One row per question: topic, type, question, answers A–F, the letters of the correct
answers ("B" or "A, C"), explanation, difficulty (1–3).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import spreadsheets
from common.text import fold
from courses.models import Topic

from .models import QuestionKind

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


def check_questions(*, table: list[list[str]]) -> tuple[list[dict], list[dict]]:
    positions = _positions(table[0])
    topics = {fold(topic.name): topic.pk for topic in Topic.objects.all()}
    topics.update({topic.slug: topic.pk for topic in Topic.objects.all()})
    rows, errors = [], []

    def cell(row, key):
        index = positions.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    for number, row in enumerate(table[1:], start=2):
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
            errors.append({"row": number, "column": str(COLUMNS.get(key, key)), "message": message})
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


def read_and_check(*, name: str, content: bytes) -> tuple[int, list[dict], list[dict]]:
    table = spreadsheets.read_table(name=name, content=content, max_rows=MAX_ROWS)
    rows, errors = check_questions(table=table)
    return len(table) - 1, rows, errors
