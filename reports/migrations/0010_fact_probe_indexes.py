"""Covering indexes for a unit's live count (issue 19): each member's attempts, certificates
and course completions are probed once per member (`reports.figures._unit_counting`), and
with these the probe reads the index alone (no visit of the table's rows). EXPLAIN ANALYZE
on 410,000 memberships, the province's 10,195 members: the filtered dashboard's count from
78–90 ms to 69–74 ms (docs/benchmarks.md).

PostgreSQL only (INCLUDE, partial); plain SQL for the same reason as 0009."""

from django.db import migrations

from reports.migration_indexes import postgresql_indexes

INDEXES = [
    ("reports_attempt_user_cover_idx", "quizzes_attempt (user_id, quiz_id) INCLUDE (percent)"),
    (
        "reports_certificate_user_cover_idx",
        "certificates_certificate (user_id, course_id, expires_at) WHERE revoked_at IS NULL",
    ),
    (
        "reports_completion_user_cover_idx",
        "courses_coursecompletion (user_id, course_id, completed_at)",
    ),
    # The few deactivated accounts, left out of every count by their ids.
    ("reports_inactive_user_idx", "accounts_user (id) WHERE NOT is_active"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0009_unit_count_indexes"),
        ("accounts", "0002_erased_at"),
        ("quizzes", "0005_attempt_grants_and_restudy_unlocks"),
        ("certificates", "0008_certificate_withdrawn_at"),
        ("courses", "0006_knowledge_check_opens_with_two_answers"),
    ]

    operations = [postgresql_indexes(INDEXES)]
