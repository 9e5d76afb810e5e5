from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services, texts
from .models import Notification


@login_required
def inbox(request):
    page = Paginator(selectors.inbox(request.user), 20).get_page(request.GET.get("page"))
    items = [(n, *texts.render(n.kind, n.params)) for n in page]
    return render(request, "notifications/inbox.html", {"page": page, "items": items})


@login_required
def open_notification(request, pk):
    """Mark as read and go where the notification points."""
    try:
        notification = services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk):
    """ "Đánh dấu đã đọc" on one notice, without leaving the inbox."""
    try:
        services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    page = request.POST.get("page", "")
    return redirect(reverse("notifications:inbox") + (f"?page={page}" if page.isdigit() else ""))


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications marked as read."))
    return redirect("notifications:inbox")
