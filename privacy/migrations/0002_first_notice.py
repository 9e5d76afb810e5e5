"""Version 1 of the privacy notice (Decree 13/2023/NĐ-CP), published at once. A new
version is added as a new row (admin: Personal data); members accept it again."""

from django.db import migrations
from django.utils import timezone

TITLE_VI = "Thông báo xử lý dữ liệu cá nhân"
TITLE_EN = "Notice on the processing of personal data"

TEXT_VI = """Nền tảng tập huấn Tổ công nghệ số cộng đồng xử lý dữ liệu cá nhân của bạn theo Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân.

1. Dữ liệu được thu thập: họ và tên, số điện thoại, email (nếu có), ngày sinh (nếu có); đơn vị, tổ và vai trò của bạn cùng ngày bắt đầu, ngày kết thúc; tiến độ học từng bài, kết quả các lần làm bài kiểm tra, khoá học đã hoàn thành, chứng chỉ đã cấp; thông báo gửi cho bạn; buổi tập huấn bạn tham dự; số lượt hỗ trợ người dân bạn ghi lại (không có dữ liệu của người dân); thời điểm đăng nhập và địa chỉ IP khi đăng nhập.

2. Mục đích: tổ chức và theo dõi việc tập huấn thành viên Tổ công nghệ số cộng đồng; cấp và xác minh chứng chỉ; nhắc lịch học, lịch tập huấn; tổng hợp báo cáo cho cấp trên; bảo vệ tài khoản khỏi đăng nhập trái phép. Dữ liệu không được dùng cho quảng cáo và không được bán hay chuyển cho bên khác.

3. Ai được xem: bạn; tổ trưởng, tổ phó của tổ bạn; quản trị đơn vị của xã/phường và tỉnh/thành phố quản lý tổ bạn (chỉ trong phạm vi đơn vị mình); giảng viên xem kết quả học tập trong phạm vi được phân công. Trang xác minh chứng chỉ công khai chỉ hiện họ tên, khoá học, đơn vị và ngày cấp, không hiện số điện thoại hay ngày sinh.

4. Thời gian lưu: dữ liệu tài khoản được giữ khi bạn còn là thành viên; tệp danh sách nhập vào được xoá sau 30 ngày; tệp báo cáo xuất ra và tệp ZIP chứng chỉ sau 7 ngày; nhật ký tin nhắn SMS/Zalo sau 180 ngày; thông báo sau 365 ngày; nhật ký đăng nhập và tải tệp sau 730 ngày; tài khoản đã khoá và không hoạt động quá 730 ngày được ẩn danh.

5. Quyền của bạn: xem và tải về toàn bộ dữ liệu của mình (mục "Dữ liệu của tôi"); yêu cầu chỉnh sửa dữ liệu sai; yêu cầu xoá dữ liệu khi rời tổ; rút lại sự đồng ý (khi đó bạn không dùng được nền tảng nữa); khiếu nại với bên kiểm soát dữ liệu hoặc cơ quan có thẩm quyền. Bạn có thể chọn giữ tên trên chứng chỉ để chứng chỉ vẫn xác minh được sau khi tài khoản bị xoá.

6. Bên kiểm soát dữ liệu là đơn vị vận hành nền tảng; thông tin liên hệ ở cuối thông báo này."""

TEXT_EN = """The training platform of the community digital technology teams processes your personal data under Decree 13/2023/NĐ-CP on personal data protection.

1. Data collected: full name, phone number, e-mail (if any), date of birth (if any); your unit, team and roles with their start and end dates; your progress in each lesson, your quiz attempts and results, the courses you completed, your certificates; the notifications sent to you; the training sessions you attended; the number of residents you helped as you recorded it (no data about the residents); when you logged in and from which IP address.

2. Purposes: organising and following the training of the team members; issuing and verifying certificates; reminders of lessons and sessions; reports to the units above; protecting accounts against unauthorised logins. The data is not used for advertising and is not sold or passed to anyone else.

3. Who sees it: you; the leader and deputy leader of your team; the unit administrators of the commune and province your team belongs to (within their own area only); trainers see learning results within their assignment. The public certificate check shows only the name, course, unit and issue date, never the phone number or date of birth.

4. How long it is kept: account data while you are a member; uploaded member lists 30 days; report exports and certificate archives 7 days; the SMS/Zalo message log 180 days; notifications 365 days; login and download logs 730 days; accounts deactivated and unused for 730 days are anonymised.

5. Your rights: see and download all your data ("My data"); ask for wrong data to be corrected; ask for your data to be erased when you leave; withdraw your consent (you can then no longer use the platform); complain to the controller or to the authorities. You may choose to keep your name on your certificates so that they stay verifiable after your account is erased.

6. The controller is the organisation operating the platform; its contact details are at the end of this notice."""


def publish(apps, schema_editor):
    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    PrivacyNotice.objects.get_or_create(
        version=1,
        defaults={
            "title_vi": TITLE_VI,
            "title_en": TITLE_EN,
            "text_vi": TEXT_VI,
            "text_en": TEXT_EN,
            "published_at": timezone.now(),
        },
    )


def unpublish(apps, schema_editor):
    apps.get_model("privacy", "PrivacyNotice").objects.filter(version=1, consents=None).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(publish, unpublish)]
