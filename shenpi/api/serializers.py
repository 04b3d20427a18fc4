from rest_framework import serializers

from shenpi.accounts.models import Department, Division, User


class DivisionOut(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent_id", allow_null=True)
    level_display = serializers.CharField(source="get_level_display")

    class Meta:
        model = Division
        fields = ["code", "name", "level", "level_display", "parent"]


class DepartmentOut(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind_id")
    kind_name = serializers.CharField(source="kind.name")
    division = serializers.CharField(source="division_id")
    division_name = serializers.CharField(source="division.name")

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "kind_name",
            "division",
            "division_name",
            "phone",
            "complaint_phone",
            "address",
        ]


class StaffOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id")
    name = serializers.CharField(source="real_name")
    department = serializers.UUIDField(source="office.department_id")
    department_name = serializers.CharField(source="office.department.name")
    office = serializers.CharField(source="office.name")
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "title",
            "department",
            "department_name",
            "office",
            "roles",
        ]

    def get_roles(self, user) -> list[str]:
        return sorted(r.role for r in user.role_assignments.all())


class ScopeOut(serializers.Serializer):
    everything = serializers.BooleanField()
    departments = serializers.ListField(child=serializers.UUIDField())
    divisions = serializers.ListField(
        child=serializers.CharField(), help_text="所管辖的区划子树的根"
    )


class MeOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["person", "system_client"])
    id = serializers.UUIDField()
    username = serializers.CharField()
    name = serializers.CharField()
    account_type = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    department = serializers.UUIDField(allow_null=True)
    division = serializers.CharField(allow_null=True)
    two_factor = serializers.BooleanField()
    allowed_actions = serializers.ListField(child=serializers.CharField())
    scope = ScopeOut()


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="启用或必须启用动态口令的用户须提供"
    )


class TokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
