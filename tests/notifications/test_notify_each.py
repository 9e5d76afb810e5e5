"""`notify_each`: many notices of one kind, each with its own member, event and text, in
chunks of a few statements; exactly once per (member, event) however often it runs."""

import pytest
import time_machine

from notifications import services
from notifications.models import Delivery, Kind, Notification
from notifications.services import Notice

from .test_notifications import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(make_user):
    return [
        make_user(username="a", phone="+84900000201", email="a@example.vn"),  # two channels
        make_user(username="b", phone="+84900000202"),
        make_user(username="c", phone="+84900000203"),
        make_user(username="d"),  # no address: inbox only
        make_user(username="e", phone="+84900000205", is_active=False),
    ]


def notices(members, event="certificate:{n}:expiring"):
    return [
        Notice(
            user_id=member.pk,
            key=event.format(n=n),
            params={"course": f"Khoá {n}", "refresher": "Ôn tập", "expires_on": "2027-01-06"},
            link=f"/khoa-hoc/{n}/",
        )
        for n, member in enumerate(members, start=1)
    ]


@time_machine.travel(at(9), tick=False)
@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_each_notice_once_with_its_own_text_in_any_chunk_size(members, chunk):
    wanted = notices(members)
    assert services.notify_each(kind=Kind.CERTIFICATE_EXPIRING, notices=wanted, chunk=chunk) == 5
    rows = {n.key: n for n in Notification.objects.all()}
    assert sorted(rows) == sorted(n.key for n in wanted)
    for notice in wanted:
        row = rows[notice.key]
        assert (row.user_id, row.kind, row.params, row.link) == (
            notice.user_id,
            Kind.CERTIFICATE_EXPIRING,
            notice.params,
            notice.link,
        )
    # Deliveries: one per channel that reaches an active member (email + sms for a, sms for
    # b and c, none for d without an address nor for e, inactive).
    assert Delivery.objects.count() == 4
    assert set(Delivery.objects.values_list("notification__user__username", "channel")) == {
        ("a", "email"),
        ("a", "sms"),
        ("b", "sms"),
        ("c", "sms"),
    }
    assert services.notify_each(kind=Kind.CERTIFICATE_EXPIRING, notices=wanted, chunk=chunk) == 0
    assert Notification.objects.count() == 5 and Delivery.objects.count() == 4


@time_machine.travel(at(9), tick=False)
def test_pairs_already_there_or_repeated_in_the_input_are_skipped(members):
    first_two = notices(members[:2])
    assert services.notify_each(kind=Kind.CERTIFICATE_EXPIRING, notices=first_two) == 2
    repeated = [*notices(members), notices(members)[2]]  # c twice in one call
    assert services.notify_each(kind=Kind.CERTIFICATE_EXPIRING, notices=repeated, chunk=2) == 3
    assert Notification.objects.count() == 5
    assert Notification.objects.filter(user=members[2]).count() == 1
    assert Delivery.objects.filter(notification__user=members[0]).count() == 2  # not doubled


@time_machine.travel(at(9), tick=False)
def test_notify_keeps_one_event_for_many_members_in_chunks(members):
    ids = [m.pk for m in members] * 2
    sent = services.notify(
        user_ids=ids, kind=Kind.ASSIGNED, key="campaign:7:assigned", params={}, chunk=2
    )
    assert sent == 5
    assert (
        services.notify(user_ids=ids, kind=Kind.ASSIGNED, key="campaign:7:assigned", params={}) == 0
    )
    assert Notification.objects.filter(key="campaign:7:assigned").count() == 5
