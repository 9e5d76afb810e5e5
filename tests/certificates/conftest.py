from types import SimpleNamespace

import pytest

from courses.models import CourseCompletion, CourseIndexPage, CoursePage, LessonPage, Topic
from organisations import services as org
from organisations.models import Role, UnitKind


@pytest.fixture
def completed(home_page, make_user):
    """Nguyễn Thị Ánh Tuyết of team T1 has completed "Nhận diện lừa đảo trực tuyến"."""
    root = make_user(username="root", is_superuser=True, is_staff=True)
    province = org.create_unit(
        parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Vĩnh Long", code="VL"
    )
    commune = org.create_unit(
        parent=province, kind=UnitKind.COMMUNE, name="Xã Châu Thành", code="VL-X"
    )
    other_commune = org.create_unit(
        parent=province, kind=UnitKind.COMMUNE, name="Xã Khác", code="VL-Y"
    )
    team = org.create_unit(
        parent=commune, kind=UnitKind.TEAM, name="Tổ CNSCĐ Ấp Phú Hòa", code="VL-X-T1"
    )
    member = make_user(username="tuyet", full_name="Nguyễn Thị Ánh Tuyết", phone="+84912345678")
    org.assign_role(by=root, user=member, unit=team, role=Role.MEMBER)
    commune_admin = make_user(username="xa", phone="+84912000001")
    org.assign_role(by=root, user=commune_admin, unit=commune, role=Role.UNIT_ADMIN)
    other_admin = make_user(username="xa-khac", phone="+84912000002")
    org.assign_role(by=root, user=other_admin, unit=other_commune, role=Role.UNIT_ADMIN)

    index = CourseIndexPage(title="Khoá học", slug="khoa-hoc")
    home_page.add_child(instance=index)
    course = CoursePage(
        title="Nhận diện lừa đảo trực tuyến",
        slug="lua-dao",
        summary="Tóm tắt",
        topic=Topic.objects.get(slug="lua-dao-truc-tuyen"),
        certificate_validity_months=12,
    )
    index.add_child(instance=course)
    lesson = LessonPage(title="Bài 1", slug="bai-1", body=[("text", "<p>x</p>")])
    course.add_child(instance=lesson)
    completion = CourseCompletion.objects.create(user=member, course=course)
    return SimpleNamespace(
        member=member,
        course=course,
        completion=completion,
        lesson=lesson,
        team=team,
        commune=commune,
        commune_admin=commune_admin,
        other_admin=other_admin,
        root=root,
    )
