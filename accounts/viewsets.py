from django.http import Http404
from wagtail.users.views.users import DeleteView as WagtailDeleteView
from wagtail.users.views.users import EditView as WagtailEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .authority import may_act_on
from .forms import AdminUserCreationForm, AdminUserEditForm


class _RankCheckedMixin:
    """Wagtail's user screens obey the same rank rule as ours: a person the viewer may not
    act on is "not found" (editing oneself stays with Wagtail's own account page, except for
    superusers)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        target = self.get_object()
        if not may_act_on(request.user, target):
            raise Http404


class EditView(_RankCheckedMixin, WagtailEditView):
    pass


class DeleteView(_RankCheckedMixin, WagtailDeleteView):
    pass


class UserViewSet(WagtailUserViewSet):
    edit_view_class = EditView
    delete_view_class = DeleteView

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm

    create_template_name = "accounts/admin/user_create.html"
    edit_template_name = "accounts/admin/user_edit.html"
