"""What a question's progress tells other systems (the information exchange, issue 25):
its number, state, department and due date — never the asker's contact details."""

from __future__ import annotations

from shenpi.exchange.publishing import publish


def publish_question(question, action: str) -> None:
    department = question.department
    publish(
        action,
        f"questions/{question.pk}",
        division=department.division_id,
        department=department.pk,
        data={
            "question": str(question.pk),
            "number": question.number,
            "status": question.status,
            "department": department.code,
            "due_date": question.due_date.isoformat() if question.due_date else None,
            "answered_at": question.answered_at.isoformat() if question.answered_at else None,
            "rating": question.rating or None,
            "action": action,
        },
    )
