from tests.quizzes.conftest import quiz_setup  # noqa: F401 - a 10-question quiz, one per screen
