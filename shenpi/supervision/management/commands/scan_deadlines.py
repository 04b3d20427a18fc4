from django.core.management.base import BaseCommand

from shenpi.supervision.scan import scan_deadlines


class Command(BaseCommand):
    help = "扫描期限，发出、升级或解除黄牌、红牌预警（供 cron 调用；周期任务也会调用）。"

    def handle(self, *args, **options):
        report = scan_deadlines()
        self.stdout.write(
            f"新发出 {report['raised']}，升级 {report['escalated']}，解除 {report['cleared']}。"
        )
