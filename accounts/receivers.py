from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

ADMIN_BAR_SESSION_KEY = "show_admin_bar"  # read by base.html as request.session.show_admin_bar


@receiver(user_logged_in)
def remember_whether_to_show_the_admin_bar(sender, request, user, **kwargs):
    """Decided once at login: checking permissions on every page costs two queries, and
    members (nearly everyone) never see the bar."""
    if request is not None and hasattr(request, "session"):
        request.session[ADMIN_BAR_SESSION_KEY] = user.has_perm("wagtailadmin.access_admin")
