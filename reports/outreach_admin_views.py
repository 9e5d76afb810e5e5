"""Admin › Reports › Help given to residents: per unit and kind, per week, beside the
training, against a campaign's targets; drilled down like the training figures."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.db_routers import reads_from_replica
from common.service_calls import service_call
from organisations.access import request_scope_roots, scope_required
from organisations.models import UnitKind
from outreach.models import HelpKind

from . import charts, outreach_charts, services
from .admin_views import _trail, _unit_or_404
from .models import ReportExport
from .outreach_forms import OutreachFilterForm
from .outreach_selectors import outreach_breakdown, weekly


def _query(filters) -> str:
    return urlencode({k: v for k, v in filters.as_params().items() if v})


@reads_from_replica()
@scope_required
def outreach_report(request):
    roots = request_scope_roots(request)
    form = OutreachFilterForm(request.GET or None, viewer=request.user, roots=roots)
    filters = form.filters()
    if form.is_bound and not form.is_valid():
        messages.error(
            request, _("Some filters are not valid; the report shows the last 12 weeks.")
        )
    unit = _unit_or_404(request) or roots[0]
    rows, totals = outreach_breakdown(unit, filters)
    weeks = weekly(unit, filters)
    labels = dict(HelpKind.choices)
    kind_label = labels[filters.kind]
    trend = charts.columns(
        [(monday.strftime("%d/%m"), sum(kinds.values())) for monday, kinds in weeks],
        title=_("Residents helped per week"),
    )
    pairs = outreach_charts.training_and_help(
        [(row.name, row.completed_percent, row.per_member(filters.kind)) for row in rows],
        title=_("Training and the help that followed"),
        first=_("completed the course (%)"),
        second=_("%(kind)s per member") % {"kind": kind_label},
    )
    for row in [*rows, totals]:
        row.kind_cells = [row.help[k] for k in HelpKind.values]
        row.target_cells = [row.reached.get(t.kind, 0) for t in filters.targets]
        row.kind_help = row.help[filters.kind]
        row.kind_per_member = row.per_member(filters.kind)
    query = _query(filters)
    context = {
        "form": form,
        "filters": filters,
        "unit": unit,
        "is_team": unit.kind == UnitKind.TEAM,
        "trail": _trail(request, unit),
        "rows": rows,
        "totals": totals,
        "kinds": HelpKind.choices,
        "kind_label": kind_label,
        "week_rows": [
            (monday, [kinds[k] for k in HelpKind.values], sum(kinds.values()))
            for monday, kinds in weeks
        ],
        "export_reports": [
            (ReportExport.Kind.OUTREACH, _("Per unit")),
            (ReportExport.Kind.OUTREACH_WEEKS, _("Per week")),
        ],
        "trend": trend,
        "pairs": pairs,
        "query": query,
        "export_params": {**filters.as_params(), "unit": unit.pk},
    }
    return render(request, "reports/admin/outreach.html", context)


@require_POST
@scope_required
def outreach_export(request):
    params = {
        key: request.POST.get(key) or None
        for key in ("unit", "date_from", "date_to", "campaign", "course", "kind")
    }
    kind = request.POST.get("report", "")
    if kind not in (ReportExport.Kind.OUTREACH, ReportExport.Kind.OUTREACH_WEEKS):
        kind = ""
    with service_call(request) as call:
        export = services.request_export(
            by=request.user,
            kind=kind,
            file_format=request.POST.get("format", ""),
            params={k: v for k, v in params.items() if v is not None},
        )
    if not call.ok:
        return redirect(reverse("reports_admin:outreach"))
    return redirect("reports_admin:export", pk=export.pk)
