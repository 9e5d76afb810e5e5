import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courses import services as course_services
from courses.models import LessonPage
from organisations import services as org
from organisations.models import Role
from training.models import Campaign
from training.selectors import assignments_for, campaign_progress, campaigns_for
from training.services import campaigns as campaign_services

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()  # the tree's memberships start today, in Vietnam's time zone


@pytest.fixture
def campaign(tree, courses):
    return campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt tập huấn tháng 11",
        course_ids=[c.pk for c in courses],
        unit_codes=["P-X"],
        starts_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=10),
        status="RUNNING",
    )


def test_assignment_follows_the_tree(tree, campaign, make_user):
    assert list(campaigns_for(tree.member1)) == [campaign]  # team under a hamlet of commune X
    assert list(campaigns_for(tree.member2)) == [campaign]  # team directly under commune X
    assert list(campaigns_for(tree.member3)) == []  # commune Y
    newcomer = make_user(username="moi-vao", phone="+84900000077")
    org.assign_role(by=tree.root, user=newcomer, unit=tree.t2, role=Role.MEMBER)
    assert list(campaigns_for(newcomer)) == [campaign]  # joined after the campaign started
    org.assign_role(by=tree.root, user=tree.member1, unit=tree.t3, role=Role.MEMBER)
    assert list(campaigns_for(tree.member1)) == []  # moved out of the targets


def test_drafts_and_closed_campaigns_assign_nothing(tree, campaign):
    campaign_services.set_campaign_status(
        by=tree.province_admin, campaign=campaign, status="CLOSED"
    )
    assert list(campaigns_for(tree.member1)) == []


def test_a_campaign_can_only_target_units_in_the_creators_area(tree, courses):
    with pytest.raises(ValidationError) as caught:
        campaign_services.create_campaign(
            by=tree.commune_admin,
            title="Sai phạm vi",
            course_ids=[courses[0].pk],
            unit_codes=["P-Y"],
            starts_on=TODAY,
            due_on=TODAY,
        )
    assert "unit_codes" in caught.value.message_dict
    assert not Campaign.objects.exists()
    campaign_services.create_campaign(
        by=tree.commune_admin,
        title="Đúng phạm vi",
        course_ids=[courses[0].pk],
        unit_codes=["p-x-t1", "P-X-T2"],
        starts_on=TODAY,
        due_on=TODAY,
    )
    with pytest.raises(ValidationError):
        campaign_services.create_campaign(
            by=tree.leader,
            title="Tổ trưởng",
            course_ids=[courses[0].pk],
            unit_codes=["P-X"],
            starts_on=TODAY,
            due_on=TODAY,
        )


def test_bad_input_changes_nothing(tree, courses):
    with pytest.raises(ValidationError) as caught:
        campaign_services.create_campaign(
            by=tree.province_admin,
            title=" ",
            course_ids=[],
            unit_codes=[],
            starts_on=TODAY,
            due_on=TODAY - datetime.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"title", "courses", "unit_codes", "due_on"}
    assert not Campaign.objects.exists()


def test_member_sees_assigned_training_first_with_overdue_on_top(client, tree, courses, campaign):
    campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt cũ",
        course_ids=[courses[1].pk],
        unit_codes=["P"],
        starts_on=TODAY - datetime.timedelta(days=40),
        due_on=TODAY - datetime.timedelta(days=5),
        status="RUNNING",
    )
    tomorrow = datetime.datetime.combine(
        TODAY + datetime.timedelta(days=1), datetime.time(9), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(tomorrow, tick=False):
        items = assignments_for(tree.member1)
        assert (items[0].campaign.title, items[0].overdue) == ("Đợt cũ", True)
        assert {a.course.slug for a in items if a.campaign == campaign} == {"vneid", "lua-dao"}
        client.force_login(tree.member1)
        html = client.get(reverse("courses:my_learning")).content.decode()
    assert html.index("Đợt cũ") < html.index("Khoá học đã hoàn thành")
    assert "Quá hạn" in html


def test_completion_shows_in_assignments_and_campaign_progress(tree, campaign, courses):
    lesson = LessonPage.objects.live().child_of(courses[0]).get()
    course_services.start_lesson(user=tree.member1, lesson=lesson)
    course_services.complete_lesson(user=tree.member1, lesson=lesson)
    done = {a.course.slug: a.completed for a in assignments_for(tree.member1)}
    assert done == {"vneid": True, "lua-dao": False}
    progress = campaign_progress(campaign)
    assert progress["members"] == 3  # leader1, member1, member2 in commune X's teams
    assert [row["completed"] for row in progress["courses"]] == [1, 0]


def test_campaign_screens_are_scoped(client, tree, campaign):
    client.force_login(tree.commune_admin)
    assert client.get(reverse("training_admin:detail", args=[campaign.pk])).status_code == 200
    outsider = tree.leader
    org.end_membership(by=tree.root, membership=tree.leader.memberships.get(role=Role.LEADER))
    org.assign_role(by=tree.root, user=outsider, unit=tree.t3, role=Role.LEADER)
    client.force_login(outsider)
    assert client.get(reverse("training_admin:detail", args=[campaign.pk])).status_code == 404
    assert (
        client.post(
            reverse("training_admin:status", args=[campaign.pk]), {"status": "CLOSED"}
        ).status_code
        == 404
    )
    campaign.refresh_from_db()
    assert campaign.status == "RUNNING"


def test_a_campaign_reaching_beyond_the_viewers_area_shows_their_part_only(client, tree, courses):
    """The re-trial: a commune administrator opened a campaign over two communes and saw both
    communes' figures, with the buttons to edit and close it."""
    both = campaign_services.create_campaign(
        by=tree.province_admin,
        title="Đợt hai xã",
        course_ids=[c.pk for c in courses],
        unit_codes=["P-X", "P-Y"],
        starts_on=TODAY,
        due_on=TODAY + datetime.timedelta(days=10),
        status="RUNNING",
    )
    detail = reverse("training_admin:detail", args=[both.pk])
    client.force_login(tree.province_admin)
    response = client.get(detail)
    assert response.context["progress"]["members"] == 4  # leader1, member1-3
    assert reverse("training_admin:edit", args=[both.pk]) in response.content.decode()
    client.force_login(tree.commune_admin)
    response = client.get(detail)
    page = response.content.decode()
    assert response.context["progress"]["members"] == 3  # commune X: leader1, member1, member2
    assert reverse("training_admin:edit", args=[both.pk]) not in page
    assert reverse("training_admin:status", args=[both.pk]) not in page
    assert "chỉ là số liệu của khu vực của bạn" in page
    edit = client.get(reverse("training_admin:edit", args=[both.pk]))
    assert edit.status_code == 302 and edit.url == detail
    client.post(reverse("training_admin:status", args=[both.pk]), {"status": "CLOSED"})
    both.refresh_from_db()
    assert both.status == "RUNNING"
