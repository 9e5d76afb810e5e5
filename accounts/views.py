from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from common.ratelimit import by_user, rate_limited

from . import services
from .backends import ACTIVATION_SESSION_KEY
from .forms import LOGIN_FAILED_MESSAGE, LoginForm
from .models import ActivationCode

NEXT_URL_SESSION_KEY = "after_password_url"


@method_decorator(rate_limited("login"), name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        code = getattr(form.get_user(), "activation_code_used", None)
        if code:
            self.request.session[ACTIVATION_SESSION_KEY] = code
            # Where they were going (`next`, already checked) once the password is chosen.
            self.request.session[NEXT_URL_SESSION_KEY] = self.get_success_url()
            return redirect("accounts:choose_password")
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this for a locked account: the same page and message as a bad login."""
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    context = {"form": form, "login_error": LOGIN_FAILED_MESSAGE}
    return render(request, "accounts/login.html", context, status=200)


@login_required
@rate_limited("activation", key=by_user)
def choose_password(request):
    code = request.session.get(ACTIVATION_SESSION_KEY)
    if not code:
        return redirect("/")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.choose_password_with_code(
                user=request.user, code=code, password=form.cleaned_data["new_password1"]
            )
        except ActivationCode.DoesNotExist:
            logout(request)
            messages.error(
                request,
                _("This activation code is no longer valid. Ask your team leader for a new one."),
            )
            return redirect("accounts:login")
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            del request.session[ACTIVATION_SESSION_KEY]
            target = request.session.pop(NEXT_URL_SESSION_KEY, "") or resolve_url(
                settings.LOGIN_REDIRECT_URL
            )
            update_session_auth_hash(request, request.user)
            messages.success(request, _("Your password is set. Welcome!"))
            return redirect(target)
    # A step before anything else opens: the menu offers only "log out" (gate_step).
    return render(request, "accounts/choose_password.html", {"form": form, "gate_step": True})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_changed")


class PasswordChangedView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_changed.html"
