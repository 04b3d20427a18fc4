from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shenpi.audit"
    label = "audit"
    verbose_name = "审计日志"
