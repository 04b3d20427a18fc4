from celery import shared_task

from .services import audit_checkpoint


@shared_task(name="shenpi.audit.tasks.audit_checkpoint_task")
def audit_checkpoint_task():
    checkpoint = audit_checkpoint()
    return checkpoint.pk if checkpoint else None
