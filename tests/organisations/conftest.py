from types import SimpleNamespace

import pytest

from accounts.models import User
from organisations import services
from organisations.models import Role, UnitKind


@pytest.fixture
def tree(db, make_user):
    """Province P › commune X (hamlet H › team T1; team T2) and commune Y › team T3."""
    root = make_user(username="root", is_superuser=True, is_staff=True)
    p = services.create_unit(parent=None, kind=UnitKind.PROVINCE, name="Tỉnh Thử", code="P")
    x = services.create_unit(parent=p, kind=UnitKind.COMMUNE, name="Xã X", code="P-X")
    y = services.create_unit(parent=p, kind=UnitKind.COMMUNE, name="Xã Y", code="P-Y")
    h = services.create_unit(parent=x, kind=UnitKind.HAMLET, name="Ấp H", code="P-X-H")
    t1 = services.create_unit(parent=h, kind=UnitKind.TEAM, name="Tổ T1", code="P-X-T1")
    t2 = services.create_unit(parent=x, kind=UnitKind.TEAM, name="Tổ T2", code="P-X-T2")
    t3 = services.create_unit(parent=y, kind=UnitKind.TEAM, name="Tổ T3", code="P-Y-T3")

    def person(username, phone, unit, role):
        user = make_user(username=username, phone=phone, full_name=f"Người {username}")
        services.assign_role(by=root, user=user, unit=unit, role=role)
        return User.objects.get(pk=user.pk)

    return SimpleNamespace(
        root=root,
        p=p,
        x=x,
        y=y,
        h=h,
        t1=t1,
        t2=t2,
        t3=t3,
        province_admin=person("padmin", "+84900000001", p, Role.UNIT_ADMIN),
        commune_admin=person("xadmin", "+84900000002", x, Role.UNIT_ADMIN),
        leader=person("leader1", "+84900000003", t1, Role.LEADER),
        member1=person("member1", "+84900000004", t1, Role.MEMBER),
        member2=person("member2", "+84900000005", t2, Role.MEMBER),
        member3=person("member3", "+84900000006", t3, Role.MEMBER),
    )
