"""An event as CloudEvents 1.0 JSON (structured mode), by the `cloudevents` library."""

from __future__ import annotations

from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

from . import positions
from .models import Event
from .publishing import NAMESPACE

CONTENT_TYPE = "application/cloudevents+json"


def cloud_event(event: Event) -> CloudEvent:
    return CloudEvent(
        {
            "id": str(event.id),
            "source": f"urn:shenpi:division:{event.division or 'region'}",
            "type": NAMESPACE + event.type,
            "subject": event.subject,
            "time": event.time,
            "datacontenttype": "application/json",
            # The exchange's order (positions.py): compare as strings.
            "sequence": positions.encode(event.txid, event.id),
        },
        event.data,
    )


def as_json(event: Event) -> bytes:
    return JSONFormat().write(cloud_event(event))


def as_dict(event: Event) -> dict:
    import json

    return json.loads(as_json(event))
