"""common.db_routers without a replica: everything reads and writes default."""

from django.db import DEFAULT_DB_ALIAS

from accounts.models import User
from common.db_routers import REPLICA, ReplicaRouter, reads_from_replica

router = ReplicaRouter()


def test_without_a_replica_everything_reads_default():
    with reads_from_replica():
        assert router.db_for_read(User) == DEFAULT_DB_ALIAS
    assert router.db_for_write(User) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "accounts")
    assert not router.allow_migrate(REPLICA, "accounts")
