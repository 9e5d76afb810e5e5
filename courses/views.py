from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.service_calls import service_call
from common.text import clean_query

from . import dashboard, selectors, services
from .models import LessonPage


def catalogue(request):
    page = selectors.course_catalogue_page()
    if page is None:
        raise Http404
    return redirect(page.url)


@require_POST
@login_required
def complete_lesson(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    with service_call(request) as call:
        services.complete_lesson(user=request.user, lesson=lesson)
    if not call.ok:
        return redirect(lesson.url)
    messages.success(request, _("Lesson completed: %(title)s") % {"title": lesson.title})
    following = lesson.get_next_siblings().live().type(LessonPage).first()
    return redirect(following.url if following else lesson.get_parent().url)


@login_required
def my_learning(request):
    context = selectors.my_learning(request.user)
    context["top_sections"] = dashboard.sections_for(request.user, first=True)
    context["sections"] = dashboard.sections_for(request.user, first=False)
    return render(request, "courses/my_learning.html", context)


def search(request):
    query = clean_query(request.GET.get("q"))
    signed_in = request.user.is_authenticated
    results = selectors.ranked_search(query, signed_in=signed_in) if query else []
    return render(request, "courses/search.html", {"query": query, "results": results})
