from django.contrib import admin

from shenpi.audit.admin_mixins import AuditedModelAdmin

from .models import ProjectTemplate, TemplateStep


class TemplateStepInline(admin.TabularInline):
    model = TemplateStep
    extra = 1
    filter_horizontal = ["depends_on"]


@admin.register(ProjectTemplate)
class ProjectTemplateAdmin(AuditedModelAdmin):
    """The administrator keeps the templates agents open projects from."""

    list_display = ["name", "is_active"]
    inlines = [TemplateStepInline]
