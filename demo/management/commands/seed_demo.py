from django.core.management.base import BaseCommand

from demo import seed as demo


class Command(BaseCommand):
    help = "Create the demo site, content and logins. Running it again changes nothing."

    def handle(self, *args, **options):
        demo.seed_site()
        demo.seed_courses()
        demo.seed_quizzes()
        logins = demo.seed_staff()
        logins += demo.seed_organisations()
        demo.seed_learning_states()
        demo.seed_campaigns()
        demo.seed_campaign_progress()
        demo.seed_notifications()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Dữ liệu mẫu đã sẵn sàng."))
        self.stdout.write(f"Demo logins (password / mật khẩu: {demo.demo_password()}):")
        for username, description in logins:
            self.stdout.write(f"  {username:<16} {description}")
