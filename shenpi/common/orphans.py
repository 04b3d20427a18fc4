"""Uploaded and generated files are written while their row's transaction is open; a
rollback or a killed worker leaves the file without its row. The hourly sweep removes such
orphans: a file under a known folder, older than the longest a transaction may run (an
hour), that no row names."""

from __future__ import annotations

from datetime import timedelta

from django.apps import apps
from django.core.files.storage import default_storage
from django.utils import timezone

# (model label, file field, folder): the folders the file fields' upload_to write in.
FILE_FIELDS = [
    ("cases.CaseMaterial", "file", "materials"),
    ("cases.Notice", "file", "notices"),
    ("cases.Licence", "file", "licences"),
    ("supervision.Complaint", "attachment", "complaints"),
    ("catalog.FormFile", "file", "forms"),
]
GRACE = timedelta(hours=1)


def _files_under(folder: str, months: int):
    """The storage names under folder's year (and month) subfolders of the last months."""
    today = timezone.localdate()
    seen = set()
    for back in range(months):
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        for sub in (f"{folder}/{year}/{month:02d}", f"{folder}/{year}"):
            if sub in seen or not default_storage.exists(sub):
                continue
            seen.add(sub)
            _dirs, files = default_storage.listdir(sub)
            for name in files:
                yield f"{sub}/{name}"


def orphan_files_sweep(*, months: int = 2) -> int:
    """Delete the orphaned files of the last `months` months; returns how many."""
    cutoff = timezone.now() - GRACE
    removed = 0
    for label, field, folder in FILE_FIELDS:
        model = apps.get_model(label)
        names = [
            n for n in _files_under(folder, months) if default_storage.get_modified_time(n) < cutoff
        ]
        for start in range(0, len(names), 1000):
            batch = names[start : start + 1000]
            named = set(
                model.objects.filter(**{f"{field}__in": batch}).values_list(field, flat=True)
            )
            for name in batch:
                if name not in named:
                    default_storage.delete(name)
                    removed += 1
    return removed
