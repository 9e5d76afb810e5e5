from tests.quizzes.conftest import quiz_setup  # noqa: F401 - the quiz the outage tests take
