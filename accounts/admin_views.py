"""Admin screens of accounts (in the Wagtail admin, under /admin/accounts/)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from wagtail.admin.auth import permission_required

from common.ratelimit import by_user, rate_limited

from . import services
from .authority import may_act_on
from .models import User


@permission_required("accounts.change_user")
@rate_limited("new_code", key=by_user)
def admin_reset_password(request, user_id: int):
    """An administrator gives a member who forgot their password a new one-time code.

    GET asks for confirmation; POST issues the code and shows it once.
    """
    user = get_object_or_404(User, pk=user_id, is_superuser=False)
    if not may_act_on(request.user, user):
        raise Http404
    activation = None
    if request.method == "POST":
        activation = services.issue_activation_code(
            user=user, disable_password=True, by=request.user
        )
    return render(
        request,
        "accounts/admin_reset_password.html",
        {"member": user, "activation": activation},
    )
