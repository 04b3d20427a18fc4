"""A file whose row's transaction rolled back is swept an hour later (issue 29, 15)."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from shenpi.cases import services
from shenpi.catalog.models import Item
from shenpi.common.orphans import orphan_files_sweep
from tests.cases.conftest import complete_draft

pytestmark = pytest.mark.django_db


def aged(name, hours):
    path = default_storage.path(name)
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_an_orphan_is_swept_and_a_named_file_is_kept(demo):
    item = Item.objects.get(code="640100-SCJG-001")
    draft = complete_draft(services, demo("zhangsan"), item)
    kept = draft.materials.first().file.name
    folder = f"materials/{timezone.localdate():%Y/%m}"
    old_orphan = default_storage.save(f"{folder}/orphan.pdf", ContentFile(b"%PDF-1.4 x"))
    new_orphan = default_storage.save(f"{folder}/in-flight.pdf", ContentFile(b"%PDF-1.4 y"))
    aged(old_orphan, 2)
    aged(kept, 2)
    assert orphan_files_sweep() >= 1
    assert not default_storage.exists(old_orphan)
    assert default_storage.exists(kept)  # its row names it
    assert default_storage.exists(new_orphan)  # it may still be committed: within the hour
