from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.text import clean_query

from . import dashboard, selectors
from .models import LessonPage


def catalogue(request):
    page = selectors.course_catalogue_page()
    if page is None:
        raise Http404
    return redirect(page.url)


@require_POST
@login_required
def complete_lesson(request, lesson_id: int):
    """The lesson page's own POST (`LessonPage.serve`), at the address older pages post to."""
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    return lesson.serve(request)


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
