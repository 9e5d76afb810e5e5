from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from certificates.models import Certificate
from notifications.models import Delivery, Kind, Notification, RecordedMessage
from outreach.models import OutreachEntry
from privacy.models import PrivacyNotice
from tests.organisations.conftest import tree  # noqa: F401 - the shared unit tree
from tests.reports.conftest import learning  # noqa: F401
from tests.training.conftest import courses  # noqa: F401
from training.models import Attendance, AttendanceMethod, TrainingSession


@pytest.fixture
def consent_required(settings):
    """The consent gate as in production (the other tests' settings turn it off)."""
    settings.PRIVACY_CONSENT_REQUIRED = True


def publish_notice(version: int) -> PrivacyNotice:
    return PrivacyNotice.objects.create(
        version=version,
        title_vi=f"Thông báo xử lý dữ liệu cá nhân (phiên bản {version})",
        title_en=f"Privacy notice (version {version})",
        text_vi="Chúng tôi xử lý số điện thoại của bạn để tập huấn.",
        text_en="We process your phone number for training.",
        published_at=timezone.now(),
    )


@pytest.fixture
def held(tree, learning, home_page):  # noqa: F811
    """member1 of team T1 has a bit of everything: progress, attempts, a completion and a
    certificate (learning), a notification with its SMS, a session attended, help given."""
    member = tree.member1
    note = Notification.objects.create(
        user=member, kind=Kind.ASSIGNED, key="t:1", params={"campaign": "Đợt 1", "courses": "A"}
    )
    Delivery.objects.create(
        notification=note,
        channel="sms",
        address=member.phone,
        status=Delivery.Status.SENT,
        not_before=timezone.now(),
    )
    RecordedMessage.objects.create(
        channel="sms", address=member.phone, text=f"Chào {member.full_name}, có khoá học mới."
    )
    session = TrainingSession.objects.create(
        title="Buổi tập huấn VNeID",
        course=learning.course_a,
        place="Nhà văn hoá ấp",
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
        trainer=tree.commune_admin,
        capacity=30,
        created_by=tree.commune_admin,
    )
    Attendance.objects.create(session=session, user=member, method=AttendanceMethod.values[0])
    OutreachEntry.objects.create(
        user=member,
        team=tree.t1,
        place=tree.h,
        helped_on=timezone.localdate(),
        kind="VNEID",
        residents=4,
        note="Giúp bà Năm",
    )
    return SimpleNamespace(
        member=member,
        certificate=Certificate.objects.get(user=member),
        session=session,
        **vars(learning),
    )
