"""Reports read through common.db_routers: with a `replica` alias (here a second connection
to the same test database, as TEST MIRROR makes it in CI), report views and the export task
read from it; member pages, writes, job rows and transactions stay on default."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from common.db_routers import REPLICA, ReplicaRouter, reads_from_replica
from reports import tasks
from reports.models import ReportExport

router = ReplicaRouter()


pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=[DEFAULT_DB_ALIAS, REPLICA]
)


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup):
    """A `replica` alias on the test database, as DATABASE_REPLICA_URL adds one (before the
    tests' own database set-up, which checks that every alias it is given exists)."""
    if REPLICA in connections.settings:  # DATABASE_REPLICA_URL set: its test mirror
        yield
        return
    connections.settings[REPLICA] = {**connections[DEFAULT_DB_ALIAS].settings_dict}
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica():
    return connections[REPLICA]


def test_report_views_read_from_the_replica_and_member_pages_do_not(client, replica, completed):
    # Only reads inside the context and outside a transaction on default go to the replica.
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS
    with reads_from_replica():
        assert router.db_for_read(User) == REPLICA
        assert router.db_for_write(User) == DEFAULT_DB_ALIAS
        assert router.db_for_read(ReportExport) == DEFAULT_DB_ALIAS  # job rows: leases
        with transaction.atomic():
            assert router.db_for_read(User) == DEFAULT_DB_ALIAS  # sees its own writes
    assert router.db_for_read(User) == DEFAULT_DB_ALIAS

    client.force_login(completed.commune_admin)
    with CaptureQueriesContext(replica) as on_replica:
        response = client.get(reverse("reports_admin:members") + f"?unit={completed.commune.pk}")
    assert response.status_code == 200
    assert completed.member.get_full_name() in response.content.decode()
    membership_reads = [q["sql"] for q in on_replica if "organisations_membership" in q["sql"]]
    assert membership_reads, [q["sql"][:80] for q in on_replica]

    with CaptureQueriesContext(replica) as on_replica:
        assert client.get(reverse("reports_admin:dashboard")).status_code == 200
    assert len(on_replica) > 0

    client.force_login(completed.member)
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
    ):
        assert client.get(reverse("courses:my_learning")).status_code == 200
    assert len(on_replica) == 0 and len(on_default) > 0


def test_the_export_task_reads_figures_from_the_replica_and_writes_to_default(replica, completed):
    export = ReportExport.objects.create(
        created_by=completed.commune_admin,
        kind="MEMBERS",
        file_format="csv",
        params={"unit": completed.commune.pk},
    )
    with CaptureQueriesContext(replica) as on_replica:
        tasks.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ReportExport.Status.DONE and export.file
    assert any("organisations_membership" in q["sql"] for q in on_replica)
    writes = ("INSERT", "UPDATE", "DELETE")
    assert not [q["sql"] for q in on_replica if q["sql"].lstrip().upper().startswith(writes)]
    assert not any("reports_reportexport" in q["sql"] for q in on_replica)
