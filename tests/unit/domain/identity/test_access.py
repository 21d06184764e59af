"""Roles and permissions: each role holds exactly what it needs and nothing more."""

from __future__ import annotations

import pytest

from clinic.domain.shared.access import (
    GRANTABLE,
    ROLE_PERMISSIONS,
    Permission,
    Role,
    parse_grantable,
    permissions_of,
)
from clinic.domain.shared.errors import InvalidFieldError

P = Permission
EXPORTS = frozenset({P.PATIENTS_EXPORT, P.ANALYTICS_EXPORT})

EXPECTED = {
    Role.ADMIN: frozenset(Permission),
    Role.MARKETER: frozenset(
        {
            P.PATIENTS_READ,
            P.PATIENTS_READ_PSEUDONYMISED,
            P.MEDICAL_READ,
            P.SEGMENTS_MANAGE,
            P.CAMPAIGNS_MANAGE,
        }
    ),
    Role.ANALYST: frozenset({P.PATIENTS_READ_PSEUDONYMISED, P.ANALYTICS_EXPORT, P.MEDICAL_READ}),
    Role.CALL_CENTRE: frozenset({P.PATIENTS_READ, P.PATIENTS_WRITE, P.TASKS_WORK}),
}


class TestRolePermissions:
    def test_every_role_has_its_table(self) -> None:
        assert set(ROLE_PERMISSIONS) == set(Role)

    @pytest.mark.parametrize("role", list(Role))
    def test_each_role_holds_exactly_its_permissions(self, role: Role) -> None:
        assert permissions_of(role) == EXPECTED[role]

    def test_admin_may_do_everything(self) -> None:
        assert permissions_of(Role.ADMIN) == frozenset(Permission)

    @pytest.mark.parametrize("granted", [frozenset(), GRANTABLE])
    def test_the_call_centre_never_sees_medical_data_nor_exports_by_role(
        self, granted: frozenset[Permission]
    ) -> None:
        held = permissions_of(Role.CALL_CENTRE)
        assert P.MEDICAL_READ not in held
        assert not held & EXPORTS
        # Granting adds only the grantable permissions: never medical data.
        assert P.MEDICAL_READ not in permissions_of(Role.CALL_CENTRE, granted)

    @pytest.mark.parametrize("granted", [frozenset(), GRANTABLE])
    def test_an_analyst_never_reads_identified_patients(
        self, granted: frozenset[Permission]
    ) -> None:
        held = permissions_of(Role.ANALYST, granted)
        assert P.PATIENTS_READ not in held
        assert P.PATIENTS_READ_PSEUDONYMISED in held

    def test_a_marketer_exports_patients_only_when_granted(self) -> None:
        assert P.PATIENTS_EXPORT not in permissions_of(Role.MARKETER)
        granted = frozenset({P.PATIENTS_EXPORT})
        assert permissions_of(Role.MARKETER, granted) == EXPECTED[Role.MARKETER] | granted

    def test_only_user_management_and_audit_are_admins_alone(self) -> None:
        others = frozenset().union(*(EXPECTED[r] for r in Role if r is not Role.ADMIN))
        assert P.USERS_MANAGE not in others
        assert P.AUDIT_READ not in others
        assert P.PATIENTS_ERASE not in others

    def test_only_exports_are_grantable(self) -> None:
        assert GRANTABLE == EXPORTS


class TestParseGrantable:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("patients:export", P.PATIENTS_EXPORT),
            ("  Analytics:Export ", P.ANALYTICS_EXPORT),
        ],
    )
    def test_a_grantable_permission_is_parsed(self, raw: str, expected: Permission) -> None:
        assert parse_grantable(raw) is expected

    @pytest.mark.parametrize(
        "raw", ["", "   ", "export", "users:manage", "medical:read", "patients:read", "admin"]
    )
    def test_anything_else_names_the_field(self, raw: str) -> None:
        with pytest.raises(InvalidFieldError) as caught:
            parse_grantable(raw)
        assert caught.value.field == "permission"
        assert caught.value.code == "invalid_permission"
        assert "patients:export" in caught.value.message
        assert "analytics:export" in caught.value.message
