"""Demo content for `manage.py seed_demo`. Every step is idempotent: it looks before it writes."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Page, Site

from accounts.models import User, split_full_name

from .models import HomePage, PlatformSettings

TRAINERS_GROUP = "Giảng viên"

HOME_INTRO = (
    "Nơi các thành viên Tổ công nghệ số cộng đồng học những bài ngắn trên điện thoại, "
    "làm bài kiểm tra và nhận chứng chỉ, để hướng dẫn người dân dùng VNeID, dịch vụ "
    "công trực tuyến, thanh toán số và tránh lừa đảo."
)
HOME_BODY = (
    "<h2>Học ở đâu, lúc nào cũng được</h2>"
    "<p>Mỗi bài học chỉ mất vài phút, đọc được trên màn hình điện thoại nhỏ và cả khi "
    "mạng yếu. Tiến độ của bạn được lưu lại để học tiếp lần sau.</p>"
    "<h2>Năm kỹ năng số cơ bản</h2>"
    "<ul><li>Sử dụng dịch vụ công trực tuyến</li><li>Mua sắm trực tuyến</li>"
    "<li>Thanh toán trực tuyến</li><li>Tự bảo vệ trên không gian mạng</li>"
    "<li>Sử dụng nền tảng số của địa phương</li></ul>"
)


def demo_password() -> str:
    return getattr(settings, "DEMO_PASSWORD", "hocso2026")


def ensure_user(*, username: str, full_name: str, phone: str | None = None, **extra) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        last_name, first_name = split_full_name(full_name)
        user = User(
            username=username, first_name=first_name, last_name=last_name, phone=phone, **extra
        )
        user.set_password(demo_password())
        user.save()
    return user


@transaction.atomic
def seed_site() -> HomePage:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Học kỹ năng số cùng Tổ công nghệ số cộng đồng",
            slug="trang-chu",
            intro=HOME_INTRO,
            body=HOME_BODY,
            call_to_action="Đăng nhập để học",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        # Wagtail's placeholder "Welcome" page is replaced by ours.
        Page.objects.filter(depth=2).exclude(pk=home.pk).filter(slug="home").delete()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="digiskills",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    if not platform.contact_phone:
        platform.tagline = "Nền tảng tập huấn cho Tổ công nghệ số cộng đồng"
        platform.contact_phone = "0275 3822 000"
        platform.contact_email = "hotro@digiskills.example"
        platform.contact_address = "Sở Khoa học và Công nghệ tỉnh Vĩnh Long"
        platform.save()
    return home


@transaction.atomic
def seed_staff() -> list[tuple[str, str]]:
    admin = ensure_user(
        username="admin", full_name="Quản trị hệ thống", is_staff=True, is_superuser=True
    )
    trainer = ensure_user(username="trainer", full_name="Trần Thị Thu Hà", phone="+84901000001")
    trainer.groups.add(Group.objects.get(name=TRAINERS_GROUP))
    return [
        (admin.username, "Quản trị hệ thống (toàn quyền) · Administrator"),
        (trainer.username, "Giảng viên – soạn bài học · Trainer"),
    ]
