"""The platform's certificate authority for the organs' electronic signatures on notices
and licences (shenpi/common/pdfsigning.py): made once; organs' keys follow on first use."""

from django.conf import settings
from django.core.management.base import BaseCommand

from shenpi.common import pdfsigning


class Command(BaseCommand):
    help = "创建平台电子印章根证书（已存在则不变；--replace 重新创建，已签发的机关证书随之作废）"

    def add_arguments(self, parser):
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, replace=False, **options):
        if replace:
            from pathlib import Path

            for old in (Path(settings.SHENPI_SIGNING_DIR) / "organs").glob("*.pem"):
                old.unlink()
        path = pdfsigning.authority_create(replace=replace)
        self.stdout.write(f"平台电子印章根证书：{path}")
