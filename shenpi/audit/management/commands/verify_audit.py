from django.core.management.base import BaseCommand, CommandError

from shenpi.audit.verify import verify_chain, verify_checkpointed_hashes


class Command(BaseCommand):
    help = "校验审计日志的哈希链，报告第一个断点。"

    def handle(self, *args, **options):
        checked, broken = verify_chain()
        broken = broken or verify_checkpointed_hashes()
        if broken:
            raise CommandError(f"审计链断裂：{broken}（已校验 {checked} 条）")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {checked} 条记录。"))
