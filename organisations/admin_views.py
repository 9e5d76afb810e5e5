"""Admin screens for units and members. Every object is looked up through the scope
selectors, so anything outside the viewer's area is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.authority import ERASED_ACCOUNT, may_act_on
from accounts.services import issue_activation_code
from common.downloads import serve_private_content
from common.job_views import resume_job
from common.ratelimit import by_user, rate_limited
from common.service_calls import service_call
from common.signals import personal_data_downloaded
from common.spreadsheets import workbook_bytes
from common.text import clean_query
from common.upload_views import spreadsheet_upload_view

from . import exports, history, selectors, services
from .access import request_scope_roots
from .forms import AssignRoleForm, MemberForm, MergeForm, NewMemberForm, UnitForm
from .models import Membership, OrgUnit, Role, RosterImport, UnitKind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_unit(request, pk) -> OrgUnit:
    return get_object_or_404(selectors.units_visible_to(request.user), pk=pk)


def _visible_member(request, pk):
    return get_object_or_404(selectors.members_visible_to(request.user), pk=pk)


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return serve_private_content(content, filename=filename, content_type=XLSX)


def _attach_roles(members) -> None:
    members = list(members)
    roles = selectors.roles_by_user(members)
    for member in members:
        member.current_roles = roles.get(member.pk, [])


def index(request):
    roots = request_scope_roots(request)
    if len(roots) == 1:
        return redirect("organisations_admin:unit", pk=roots[0].pk)
    if not roots:
        raise Http404
    return render(request, "organisations/admin/index.html", {"roots": roots})


def unit_detail(request, pk):
    unit = _visible_unit(request, pk)
    visible = selectors.units_visible_to(request.user)
    roots = request_scope_roots(request)
    ancestors = list(unit.get_ancestors())
    if not request.user.is_superuser:
        shown = set(visible.filter(pk__in=[a.pk for a in ancestors]).values_list("pk", flat=True))
        ancestors = [a for a in ancestors if a.pk in shown]
    counts = selectors.child_counts(unit)
    children = [
        (child, counts.get(child.path, {"members": 0, "teams": 0}))
        for child in unit.get_children().order_by("valid_to", "name")
    ]
    members = selectors.members_of_subtree(unit).order_by("first_name", "last_name")
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    _attach_roles(page.object_list)
    former_placements = list(history.former_placements(unit))
    former_children = list(history.former_children(unit))
    related = {p.parent_id for p in former_placements} | {p.unit_id for p in former_children}
    context = {
        "unit": unit,
        "ancestors": ancestors,
        "children": children,
        "former_placements": former_placements,
        "former_children": former_children,
        "linkable": set(visible.filter(pk__in=related).values_list("pk", flat=True))
        if related
        else set(),
        "page": page,
        "unit_form": UnitForm(),
        "merge_form": MergeForm(initial={"on": timezone.localdate()}),
        "can_merge": any(root.pk != unit.pk and unit.path.startswith(root.path) for root in roots)
        or request.user.is_superuser,
        "is_team": unit.kind == UnitKind.TEAM,
    }
    return render(request, "organisations/admin/unit.html", context)


@require_POST
def unit_add_child(request, pk):
    parent = _visible_unit(request, pk)
    form = UnitForm(request.POST)
    if form.is_valid():
        with service_call(request) as call:
            child = services.create_unit(parent=parent, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("Unit “%(name)s” created.") % {"name": child.name})
            return redirect("organisations_admin:unit", pk=child.pk)
    else:
        messages.error(request, _("Check the unit's kind, name and code."))
    return redirect("organisations_admin:unit", pk=parent.pk)


@require_POST
def unit_merge(request, pk):
    source = _visible_unit(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the code of the unit to merge into and the date."))
        return redirect("organisations_admin:unit", pk=source.pk)
    target = (
        selectors.units_visible_to(request.user)
        .filter(code=form.cleaned_data["target_code"].strip().upper())
        .first()
    )
    roots = request_scope_roots(request)
    # Merging needs authority over both units and above them: not over one's own top unit.
    if target is None or (not request.user.is_superuser and any(r.pk == source.pk for r in roots)):
        messages.error(request, _("There is no unit with that code in your area."))
        return redirect("organisations_admin:unit", pk=source.pk)
    with service_call(request) as call:
        services.merge_units(source=source, target=target, on=form.cleaned_data["on"])
    if not call.ok:
        return redirect("organisations_admin:unit", pk=source.pk)
    messages.success(
        request,
        _("“%(source)s” was merged into “%(target)s”.")
        % {"source": source.name, "target": target.name},
    )
    return redirect("organisations_admin:unit", pk=target.pk)


def search(request):
    query = clean_query(request.GET.get("q"))
    units = members = []
    if query:
        units = list(selectors.search_units(viewer=request.user, query=query)[:30])
        members = list(
            selectors.search_members(viewer=request.user, query=query).order_by("first_name")[:50]
        )
    _attach_roles(members)
    return render(
        request,
        "organisations/admin/search.html",
        {"query": query, "units": units, "members": members},
    )


def member_add(request, pk):
    unit = _visible_unit(request, pk)
    if unit.kind != UnitKind.TEAM:
        raise Http404
    form = NewMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            member = services.add_member(by=request.user, unit=unit, **form.cleaned_data)
        if call.ok:
            messages.success(
                request,
                _("%(name)s was added. Activation code: %(code)s")
                % {"name": member.full_name, "code": member.activation_codes.last().display_code},
            )
            return redirect("organisations_admin:member", pk=member.pk)
    return render(request, "organisations/admin/member_add.html", {"unit": unit, "form": form})


def member_detail(request, pk):
    member = _visible_member(request, pk)
    if request.method == "POST" and member.is_erased:
        messages.error(request, ERASED_ACCOUNT)
        return redirect("organisations_admin:member", pk=member.pk)
    initial = {
        "full_name": member.full_name,
        "phone": member.phone,
        "email": member.email,
        "date_of_birth": member.date_of_birth,
    }
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form) as call:
            services.update_member(by=request.user, member=member, **form.cleaned_data)
        if call.ok:
            messages.success(request, _("Saved."))
            return redirect("organisations_admin:member", pk=member.pk)
    history = list(member.memberships.select_related("unit").order_by("-started_on", "-pk"))
    visible_unit_ids = set(
        selectors.units_visible_to(request.user)
        .filter(pk__in={m.unit_id for m in history})
        .values_list("pk", flat=True)
    )
    context = {
        "member": member,
        "form": form,
        "role_form": AssignRoleForm(),
        "can_act": may_act_on(request.user, member),
        "history": [(m, m.unit_id in visible_unit_ids) for m in history],
        "today": timezone.localdate(),
    }
    return render(request, "organisations/admin/member.html", context)


@require_POST
def member_assign_role(request, pk):
    member = _visible_member(request, pk)
    form = AssignRoleForm(request.POST)
    unit = None
    if form.is_valid():
        unit = (
            selectors.units_visible_to(request.user)
            .filter(code=form.cleaned_data["unit_code"].strip().upper())
            .first()
        )
    if unit is None:
        messages.error(request, _("There is no unit with that code in your area."))
    else:
        with service_call(request) as call:
            services.assign_role(
                by=request.user, user=member, unit=unit, role=form.cleaned_data["role"]
            )
        if call.ok:
            messages.success(request, _("Role assigned."))
    return redirect("organisations_admin:member", pk=member.pk)


@require_POST
def membership_end(request, pk):
    visible = selectors.units_visible_to(request.user)
    membership = get_object_or_404(Membership.objects.current().filter(unit__in=visible), pk=pk)
    with service_call(request) as call:
        services.end_membership(by=request.user, membership=membership)
    if call.ok:
        messages.success(request, _("Membership ended."))
    return redirect("organisations_admin:member", pk=membership.user_id)


@require_POST
def member_set_active(request, pk):
    member = _visible_member(request, pk)
    with service_call(request) as call:
        services.set_member_active(
            by=request.user, member=member, active=request.POST.get("active") == "1"
        )
    if call.ok:
        messages.success(
            request, _("Account activated.") if member.is_active else _("Account deactivated.")
        )
    return redirect("organisations_admin:member", pk=member.pk)


@require_POST
@rate_limited("new_code", key=by_user)
def member_new_code(request, pk):
    member = _visible_member(request, pk)
    with service_call(request) as call:
        activation = issue_activation_code(user=member, disable_password=True, by=request.user)
    if not call.ok:
        return redirect("organisations_admin:member", pk=member.pk)
    messages.success(
        request,
        _("New activation code for %(name)s: %(code)s (valid until %(date)s).")
        % {
            "name": member.full_name,
            "code": activation.display_code,
            "date": timezone.localtime(activation.expires_at).strftime("%d/%m/%Y"),
        },
    )
    return redirect("organisations_admin:member", pk=member.pk)


def activation_codes(request, pk):
    unit = _visible_unit(request, pk)
    rows = [
        (
            team,
            code.user.full_name,
            code.user.phone or "",
            code.display_code,
            timezone.localtime(code.expires_at).strftime("%d/%m/%Y"),
        )
        for team, code in selectors.activation_codes_in(unit, viewer=request.user)
    ]
    headers = [_("Team"), _("Full name"), _("Phone number"), _("Activation code"), _("Valid until")]
    content = workbook_bytes(title=_("Activation codes"), headers=headers, rows=rows)
    personal_data_downloaded.send(
        sender=OrgUnit,
        user=request.user,
        kind="CODES",
        description=f"{_('Activation codes')} · {unit.name}",
        unit=unit,
    )
    return _xlsx_response(content, f"ma-kich-hoat-{unit.code}.xlsx")


def roster_template(request):
    return _xlsx_response(exports.roster_template(), "mau-danh-sach-thanh-vien.xlsx")


import_upload = spreadsheet_upload_view(
    label=gettext_lazy("Roster file (.xlsx or .csv)"),
    start=services.upload_roster_file,
    jobs=RosterImport,
    template="organisations/admin/import_upload.html",
    job_url="organisations_admin:import",
)


def import_detail(request, pk):
    job = get_object_or_404(RosterImport, pk=pk, created_by=request.user)
    if request.method == "POST":
        with service_call(request):
            services.confirm_roster_import(
                by=request.user,
                job=job,
                only_valid_rows=request.POST.get("only_valid") == "1",
                members_informed=request.POST.get("members_informed") == "1",
            )
        return redirect("organisations_admin:import", pk=job.pk)
    context = {
        "job": job,
        "errors": job.errors[:500],
        "preview": [
            {**row, "role": dict(Role.choices).get(row.get("role"), row.get("role"))}
            for row in job.rows[:20]
        ],
        "resume_url": reverse("organisations_admin:import_resume", args=[job.pk]),
    }
    return render(request, "organisations/admin/import_detail.html", context)


@require_POST
def import_resume(request, pk):
    job = get_object_or_404(RosterImport, pk=pk, created_by=request.user)
    resume_job(request, job)
    return redirect("organisations_admin:import", pk=job.pk)
