from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common import outbox
from common.db_routers import reads_from_replica
from common.downloads import serve_private_file
from common.job_views import resume_job
from common.ratelimit import by_user, rate_limited
from common.service_calls import service_call
from common.signals import personal_data_downloaded
from organisations.access import request_scope_roots, scope_required
from organisations.models import OrgUnit, UnitKind
from organisations.selectors import members_visible_to
from outreach.selectors import member_fieldwork
from quizzes import statistics

from . import charts, exports, grant_admin_views, record, rollup, services
from .figures import (
    METRICS,
    breakdown,
    member_rows,
    pass_rates,
    weekly_completions,
)
from .filters import Filters, visible_unit
from .forms import FilterForm
from .models import ReportExport


def _filters(request):
    form = FilterForm(request.GET or None, viewer=request.user, roots=request_scope_roots(request))
    filters = form.filters()
    if left_out := form.left_out():
        messages.error(
            request,
            _("Some filters are not valid and were left out: %(filters)s. The others apply.")
            % {"filters": ", ".join(left_out)},
        )
    return form, filters


def _query(filters: Filters, **extra) -> str:
    params = {k: v for k, v in {**filters.as_params(), **extra}.items() if v}
    return urlencode(params)


def _unit_or_404(request) -> OrgUnit | None:
    """The unit asked for (404 outside the viewer's area), or None for the viewer's top."""
    if not request.GET.get("unit"):
        return None
    unit = visible_unit(request.user, request.GET["unit"], roots=request_scope_roots(request))
    if unit is None:
        raise Http404
    return unit


def _trail(request, unit: OrgUnit) -> list[OrgUnit]:
    roots = request_scope_roots(request)
    return [
        a for a in [*unit.get_ancestors(), unit] if any(a.path.startswith(r.path) for r in roots)
    ]


@reads_from_replica()
@scope_required
def dashboard(request):
    form, filters = _filters(request)
    unit = _unit_or_404(request)
    roots = request_scope_roots(request)
    national = (unit is None and request.user.is_superuser) or (
        unit is not None and unit.kind == UnitKind.NATION
    )
    freshness = None
    if national:
        rows, totals = rollup.national_rows(filters.course)
        freshness = rollup.rollup_freshness()
        trail = [unit] if unit else []
    else:
        unit = unit or roots[0]
        rolled_up = rollup.rollup_breakdown(unit, filters)
        if rolled_up is None:
            rows, totals = breakdown(unit, filters)
        else:
            rows, totals, freshness = rolled_up
        trail = _trail(request, unit)
    bars = charts.horizontal_bars(
        [
            (
                row.unit.name if row.unit else unit.name,
                row.figures["completed_percent"],
                f"{row.figures['completed_percent']}%",
            )
            for row in rows
        ],
        title=_("Completion per unit"),
    )
    query = _query(filters)
    context = {
        "form": form,
        "filters": filters,
        "unit": unit,
        "national": national,
        "table": _table(rows, totals, unit=unit, query=query, national=national),
        "totals": totals,
        "freshness": freshness,
        "trail": trail,
        "other_roots": [r for r in roots if unit is None or r.pk != unit.pk][:20],
        "bars": bars,
        "query": query,
    }
    return render(request, "reports/admin/dashboard.html", context)


LISTED = {"overdue", "certificates_expired", "certificates_expiring", "not_started"}


def _table(rows, totals, *, unit, query, national) -> dict:
    """The rows and totals of the figures table as HTML, links included. A province has
    over a hundred rows, and a thousand cells cost ten times more in the template language."""
    dashboard_url = reverse("reports_admin:dashboard")
    members_url = reverse("reports_admin:members")
    suffix = f"&{query}" if query else ""

    def cells(figures, target) -> str:
        # Only numbers and our own URLs go in here, so plain strings are safe.
        unit_link = f"{members_url}?unit={target.pk}" if target is not None and not national else ""
        html = []
        for name in METRICS:
            value = figures[name]
            if name == "average_best_score":
                text = formats.number_format(value, 1) if value is not None else "—"
            elif name == "completed":
                text = f"{value} ({figures['completed_percent']}%)"
            else:
                text = str(value)
            if value and name in LISTED and unit_link:
                href = escape(f"{unit_link}&status={name}{suffix}")
                html.append(f'<td class="num"><a href="{href}">{text}</a></td>')
            else:
                html.append(f'<td class="num">{text}</td>')
        return "".join(html)

    body = []
    for row in rows:
        target = row.unit
        if target is None:
            name = format_html("<td>{}</td>", _("Directly in this unit"))
        else:
            base = members_url if target.kind == UnitKind.TEAM else dashboard_url
            name = format_html(
                '<td><a href="{}?unit={}{}">{}</a> <small>{}</small></td>',
                base,
                target.pk,
                suffix,
                target.name,
                target.code,
            )
        body.append(f"<tr>{name}{cells(row.figures, target)}</tr>")
    # Names went through format_html, links through escape(); the rest are numbers.
    return {
        "body": mark_safe("".join(body)),  # noqa: S308
        "totals": mark_safe(cells(totals, None if national else unit)),  # noqa: S308
    }


@reads_from_replica()
@scope_required
def chart(request, name):
    """The trend and pass-rate charts, as SVG images of their own: the figures table
    arrives first, and each chart is one cacheable request."""
    _form, filters = _filters(request)
    unit = _unit_or_404(request) or request_scope_roots(request)[0]
    if name == "trend":
        weeks = weekly_completions(unit, filters)
        svg = charts.columns(
            [(monday.strftime("%d/%m"), n) for monday, n in weeks],
            title=_("Courses completed per week"),
        )
    elif name == "pass-rates":
        rates = pass_rates(unit, filters)
        svg = charts.horizontal_bars(
            [
                (
                    _without_course(r["title"], r["course"]),
                    r["percent"],
                    f"{r['percent']}% ({r['passed']}/{r['total']})",
                )
                for r in rates
            ],
            title=_("Pass rate per quiz"),
            sublabels=[r["course"] for r in rates],
        ) or charts.empty(_("No graded attempts yet."))
    else:
        raise Http404
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@reads_from_replica()
@scope_required
def members(request):
    form, filters = _filters(request)
    unit = _unit_or_404(request) or request_scope_roots(request)[0]
    status = request.GET.get("status", "")
    if status and status not in exports.status_labels():
        messages.error(request, _("Unknown member status: showing everyone."))
        status = ""
    rows = member_rows(unit, filters, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:
        row.status_text = exports.member_status(row)
        row.certificate_text = exports.certificate_status(row)
    return render(
        request,
        "reports/admin/members.html",
        {
            "form": form,
            "filters": filters,
            "unit": unit,
            "trail": _trail(request, unit),
            "status": status,
            "status_label": exports.status_labels().get(status, ""),
            "statuses": exports.status_labels(),
            "page": page,
            "query": _query(filters),
            "export_query": _query(filters, status=status),
            "may_grant": grant_admin_views.may_grant_in(request, unit),
        },
    )


@reads_from_replica()
@scope_required
def member(request, user_id):
    person = get_object_or_404(members_visible_to(request.user), pk=user_id)
    context = record.member_record(person)
    context.update(member_fieldwork(person))
    context["now"] = timezone.now()
    context["may_grant"] = grant_admin_views.may_grant_to(request, person)
    context["export_params"] = {"member": person.pk}
    return render(request, "reports/admin/member.html", context)


def _may_analyse_questions(user) -> bool:
    return user.is_superuser or user.has_perm("quizzes.change_question")


@reads_from_replica()
def questions(request):
    if not _may_analyse_questions(request.user):
        raise Http404
    items = statistics.item_analysis()
    return render(
        request,
        "reports/admin/questions.html",
        {"items": items, "min_answers": statistics.MIN_ANSWERS_FOR_FLAG},
    )


@require_POST
@rate_limited("export", key=by_user)
def export_create(request):
    params = {
        key: request.POST.get(key) or None
        for key in (
            "unit",
            "member",
            "course",
            "campaign",
            "role",
            "date_from",
            "date_to",
            "status",
        )
    }
    params["status"] = params["status"] or ""
    with service_call(request) as call:
        export = services.request_export(
            by=request.user,
            kind=request.POST.get("kind", ""),
            file_format=request.POST.get("format", ""),
            params={k: v for k, v in params.items() if v is not None},
        )
    if not call.ok:
        return redirect(_same_site_path(request, request.POST.get("back")))
    return redirect("reports_admin:export", pk=export.pk)


def _same_site_path(request, target) -> str:
    """`back` only ever leads to a path of this site ("/admin/reports/?unit=3"), never to
    another host ("//evil.example", "https://…", "/\\evil.example")."""
    target = (target or "").strip()
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    ):
        return target
    return reverse("reports_admin:dashboard")


def export_detail(request, pk):
    export = get_object_or_404(ReportExport, pk=pk, created_by=request.user)
    return render(request, "reports/admin/export.html", {"export": export})


@require_POST
def export_resume(request, pk):
    export = get_object_or_404(ReportExport, pk=pk, created_by=request.user)
    resume_job(request, export)
    return redirect("reports_admin:export", pk=export.pk)


def export_download(request, pk):
    export = get_object_or_404(
        ReportExport, pk=pk, created_by=request.user, status=ReportExport.Status.DONE
    )
    # Checked again now: an author moved out of the area since has lost the file.
    try:
        services.check_export_access(by=request.user, kind=export.kind, params=export.params)
    except ValidationError:
        raise Http404 from None
    response = serve_private_file(export.file)
    unit_id = export.params.get("unit") if isinstance(export.params, dict) else None
    personal_data_downloaded.send(
        sender=ReportExport,
        user=request.user,
        kind="REPORT",
        description=str(export),
        unit=OrgUnit.objects.filter(pk=unit_id).first() if str(unit_id or "").isdigit() else None,
    )
    return response


@require_POST
@scope_required
def refresh_rollup(request):
    """Recompute the roll-up now: under one nation or province of the viewer's area, or
    everywhere (superusers only). The work runs in Celery; the page says when it is done."""
    back = reverse("reports_admin:dashboard")
    if request.POST.get("unit"):
        unit = visible_unit(request.user, request.POST["unit"], roots=request_scope_roots(request))
        if unit is None or unit.kind not in rollup.ROLLED_UP_KINDS:
            raise Http404
        task_kwargs, back = {"unit_id": unit.pk}, f"{back}?unit={unit.pk}"
    elif request.user.is_superuser:
        task_kwargs = {}
    else:
        raise Http404
    with transaction.atomic():
        outbox.enqueue("reports.tasks.refresh_rollups", **task_kwargs)
    messages.success(
        request, _("The figures are being recomputed; reload the page in a few seconds.")
    )
    return redirect(back)


def _without_course(title: str, course: str) -> str:
    """ "Bài kiểm tra cuối khoá – Thanh toán số" under "Thanh toán số": the course is on the
    line below, so the first line keeps what tells quizzes apart."""
    for separator in (" – ", " — ", " - ", ": "):
        if course and title.endswith(separator + course):
            return title[: -len(separator + course)]
    return title
