"""Uploaded files: the type comes from the content (filetype), and the file is
opened to prove it is whole (Pillow, pypdf, openpyxl). Names are made safe."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype

from shenpi.core.errors import InvalidInput, TooLarge

MAX_NAME = 120


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    extension: str
    size: int
    sha256: str
    data: bytes


def content_sha256(upload, data: bytes | None = None) -> str:
    """The upload's SHA-256, worked out once a request: the Idempotency-Key's fingerprint
    and the material's record both name it (`data`: its content, when already read)."""
    digest = getattr(upload, "shenpi_sha256", None)
    if digest is None:
        if data is None:
            hasher = hashlib.sha256()
            for chunk in upload.chunks():
                hasher.update(chunk)
            upload.seek(0)
            digest = hasher.hexdigest()
        else:
            digest = hashlib.sha256(data).hexdigest()
        upload.shenpi_sha256 = digest
    return digest


def safe_name(name: str, extension: str) -> str:
    """A display name without directories, control characters or odd lengths."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "", base).strip(" .")
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = stem[: MAX_NAME - len(extension) - 1] or "file"
    return f"{stem}.{extension}"


def check_upload(
    upload, *, allowed: dict[str, str], max_bytes: int, label: str = "文件"
) -> CheckedFile:
    """Read an uploaded file and refuse anything but a whole file of an allowed type."""
    raw_name = getattr(upload, "name", "") or ""
    if len(raw_name) > 255:
        raise InvalidInput(f"{label}的文件名过长（不超过 255 个字符）。", code="file_name_too_long")
    if "../" in raw_name.replace("\\", "/") or raw_name.startswith("/"):
        raise InvalidInput(f"{label}的文件名含有路径，请只上传文件本身。", code="file_name_path")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise TooLarge(
            f"{label}超过大小上限 {max_bytes // (1024 * 1024)} MB。", code="file_too_large"
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TooLarge(
            f"{label}超过大小上限 {max_bytes // (1024 * 1024)} MB。", code="file_too_large"
        )
    if not data:
        raise InvalidInput(f"{label}是空文件。", code="file_empty")
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime not in allowed:
        allowed_names = "、".join(sorted({ext.upper() for ext in allowed.values()}))
        raise InvalidInput(
            f"{label}的类型不被接受（只接受 {allowed_names}），请检查文件。", code="file_type"
        )
    _prove_whole(mime, data, label)
    extension = allowed[mime]
    return CheckedFile(
        name=safe_name(raw_name, extension),
        content_type=mime,
        extension=extension,
        size=len(data),
        sha256=content_sha256(upload, data),
        data=data,
    )


# An Office file is a ZIP archive: its directory is checked before anything in it is
# inflated, so that a small upload cannot make a worker inflate gigabytes (a zip bomb).
ARCHIVE_MAX_ENTRIES = 1000
ARCHIVE_MAX_UNCOMPRESSED = 50 * 1024 * 1024
ARCHIVE_MAX_RATIO = 100  # inflated size / stored size, per entry


def _check_archive_directory(data: bytes, label: str) -> None:
    """Refuse an archive by its central directory alone: too many entries, too much when
    inflated, an entry inflating over ARCHIVE_MAX_RATIO times, or entries whose stored data
    overlap (the overlapping-file bomb, which the sizes alone do not show)."""
    bomb = InvalidInput(
        f"{label}的压缩结构异常（条目过多、解压后过大或相互重叠），不予接收。",
        code="file_archive_suspicious",
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
    if len(entries) > ARCHIVE_MAX_ENTRIES:
        raise bomb
    if sum(e.file_size for e in entries) > ARCHIVE_MAX_UNCOMPRESSED:
        raise bomb
    spans = []
    for entry in entries:
        if (
            entry.file_size > ARCHIVE_MAX_RATIO * max(entry.compress_size, 1)
            and entry.file_size > 1024 * 1024
        ):
            raise bomb
        start = entry.header_offset
        if start + 30 > len(data):
            raise bomb
        # The local header's own name and extra lengths decide where its data ends.
        name_len = int.from_bytes(data[start + 26 : start + 28], "little")
        extra_len = int.from_bytes(data[start + 28 : start + 30], "little")
        spans.append((start, start + 30 + name_len + extra_len + entry.compress_size))
    spans.sort()
    for (_start, end), (next_start, _next_end) in itertools.pairwise(spans):
        if end > next_start:
            raise bomb


# What makes a PDF act rather than show: scripts, launching programs, rich media. (An
# /OpenAction or /AA that only sets the view is common in ordinary PDFs, and one that runs a
# script names /JS or /JavaScript, which is caught.)
ACTIVE_PDF_NAMES = {"JavaScript", "JS", "Launch", "RichMedia"}
# Only the names that can be one of those: a first character J, L or R, written or escaped
# (#4A, #4C, #52). A scanned page's image data holds thousands of "/" bytes: matching only
# these keeps the check from undoing the escapes of every one of them.
_PDF_NAME = re.compile(rb"/((?:[JLR]|#4[AaCc]|#52)[^\s/<>\[\]()%{}]*)")


def _pdf_names(raw: bytes) -> set[str]:
    """The PDF names in `raw` that may be active ones, their #xx escapes undone
    (/J#61vaScript is /JavaScript)."""
    names = set()
    for match in _PDF_NAME.finditer(raw):
        name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), match.group(1))
        names.add(name.decode("latin-1"))
    return names


def _refuse_active_pdf(reader, data: bytes, label: str) -> None:
    """A material is a document to read: a PDF with scripts or actions is refused, whether
    its names stand in the file or inside its compressed object streams."""
    found = _pdf_names(data) & ACTIVE_PDF_NAMES
    if not found:
        # The object streams a reader takes objects from are those the cross-reference
        # names (a page scanned to PDF usually has none: then nothing is opened again).
        for number in sorted({place[0] for place in reader.xref_objStm.values()})[:5000]:
            try:
                obj = reader.get_object(number)
            except Exception:  # noqa: BLE001 - a missing object hides nothing
                continue
            stream = getattr(obj, "get_data", None)
            if stream is not None:
                found = _pdf_names(stream()) & ACTIVE_PDF_NAMES
                if found:
                    break
    if found:
        raise InvalidInput(
            f"{label}含有脚本或自动执行的动作（{'、'.join(sorted(found))}），不予接收，"
            "请另存为不含脚本的 PDF 后上传。",
            code="file_active_content",
        )


def _prove_whole(mime: str, data: bytes, label: str) -> None:
    broken = InvalidInput(f"{label}已损坏或无法打开，请重新生成后上传。", code="file_broken")
    if mime.endswith(("spreadsheetml.sheet", "wordprocessingml.document")):
        try:
            _check_archive_directory(data, label)
        except InvalidInput:
            raise
        except Exception:  # noqa: BLE001 - an unreadable directory is a broken file
            raise broken from None
    try:
        if mime == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                raise broken
            # The first page's content stream decoded and read into its operators: a
            # damaged or cut-off file fails here (its text and fonts need not be read).
            contents = reader.pages[0].get_contents()
            if contents is not None:
                contents.operations  # noqa: B018 - parsing it is the check
            _refuse_active_pdf(reader, data, label)
        elif mime.startswith("image/"):
            from PIL import Image

            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        elif mime.endswith("spreadsheetml.sheet"):
            from openpyxl import load_workbook

            load_workbook(io.BytesIO(data), read_only=True).close()
        elif mime.endswith("wordprocessingml.document"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" not in archive.namelist() or archive.testzip() is not None:
                    raise broken
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 - any parser failure means the file is not whole
        raise broken from None
