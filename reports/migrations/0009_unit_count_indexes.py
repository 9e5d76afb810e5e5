"""Indexes that a unit's live count uses (issue 19), checked with EXPLAIN ANALYZE on a
database of 410,000 memberships (docs/benchmarks.md):

- a unit's memberships read from one index (index-only: unit, then the columns the count
  filters on and returns) instead of a scan of the whole country's memberships;
- members with a lesson to re-study (`training.selectors.restudying_members`, inside every
  "completed" of a course) found from a small partial index instead of a scan of every
  lesson progress row.

PostgreSQL only (INCLUDE); the tables belong to other apps, whose models are unchanged, so
the indexes are plain SQL here rather than model Meta indexes."""

from django.db import migrations

from reports.migration_indexes import postgresql_indexes

INDEXES = [
    (
        "reports_membership_unit_cover_idx",
        "organisations_membership (unit_id) INCLUDE (user_id, role, started_on, ended_on)",
    ),
    (
        "reports_restudy_user_idx",
        "courses_lessonprogress (user_id) WHERE review_requested_at IS NOT NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_export_leased_job"),
        ("organisations", "0004_rosterimport_members_informed_at"),
        ("courses", "0004_coursepage_refresher_course_and_more"),
    ]

    operations = [postgresql_indexes(INDEXES)]
