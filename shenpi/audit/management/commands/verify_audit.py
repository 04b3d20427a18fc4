from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shenpi.audit.verify import verify_chain, verify_checkpointed_hashes, verify_outside_digests


class Command(BaseCommand):
    help = "校验审计日志的哈希链、检查点签名和库外摘要，报告第一个断点。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--restored-from",
            metavar="MANIFEST",
            help="从备份恢复后：备份清单（其最后一个检查点的摘要行），日志应恰好止于此",
        )
        parser.add_argument(
            "--digests", default=None, help="库外摘要文件（默认 AUDIT_DIGEST_FILE）"
        )

    def handle(self, *args, restored_from=None, digests=None, **options):
        checked, broken = verify_chain()
        broken = broken or verify_checkpointed_hashes()
        note = ""
        if broken is None:
            broken, note = verify_outside_digests(
                digests or settings.AUDIT_DIGEST_FILE, restored_from=restored_from
            )
        if broken:
            raise CommandError(f"审计链断裂：{broken}（已校验 {checked} 条）")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {checked} 条记录。{note}"))
