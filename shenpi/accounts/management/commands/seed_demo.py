from django.conf import settings
from django.core.management.base import BaseCommand

from shenpi.accounts.demo import DEMO_PASSWORD
from shenpi.demo import seed_everything


class Command(BaseCommand):
    help = "载入演示数据（宁夏回族自治区的区划、部门、窗口和各角色用户）；可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="不列出演示账户")
        parser.add_argument(
            "--no-cases", action="store_true", help="不生成演示办件（基准测试自行生成）"
        )

    def handle(self, *args, quiet=False, no_cases=False, **options):
        accounts, items, pieces = seed_everything(cases=not no_cases)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已就绪：{len(accounts)} 个账户；新建事项 {items} 个，发布信息 {pieces} 条。"
            )
        )
        if quiet:
            return
        if not settings.SHENPI_DEMO:
            self.stdout.write("（非演示模式：不显示密码。设置 SHENPI_DEMO=1 可显示。）")
        width = max(len(a.username) for a in accounts)
        for a in accounts:
            self.stdout.write(f"  {a.username.ljust(width)}  {a.role:<10}\t{a.name}\t{a.where}")
        if settings.SHENPI_DEMO:
            self.stdout.write(self.style.WARNING(f"所有演示账户的密码：{DEMO_PASSWORD}"))
            from shenpi.hall.selectors import device_addresses

            # The hall's devices open these addresses (the kiosk's and the poster's carry
            # the hall's key): on the hall's touch screen, its TV, and the printed QR code.
            for line in device_addresses():
                self.stdout.write(f"  {line}")
