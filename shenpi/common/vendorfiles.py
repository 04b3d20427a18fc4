"""Single files from npm packages served as static files, where the package's folder is
too big to collect whole (hls.js ships 30 MB of builds and maps; the hall needs one file)."""

from __future__ import annotations

import posixpath
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


def _files() -> dict[str, Path]:
    return {name: Path(path) for name, path in settings.SHENPI_VENDOR_FILES.items()}


class VendorFileFinder(BaseFinder):
    """settings.SHENPI_VENDOR_FILES: {static name: file}, e.g. "vendor/hls/hls.min.js"."""

    def check(self, **kwargs):
        return [
            Error(f"{path} is missing: run `make deps`.", id="shenpi.E001")
            for path in _files().values()
            if not path.is_file()
        ]

    def find(self, path, find_all=False, **kwargs):
        found = _files().get(path)
        if found is None or not found.is_file():
            return [] if find_all else None
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns):
        for name, path in _files().items():
            if path.is_file():
                # collectstatic writes a listed file at storage.prefix / its path.
                storage = FileSystemStorage(location=str(path.parent))
                storage.prefix = posixpath.dirname(name)
                yield path.name, storage
