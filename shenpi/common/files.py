"""Uploaded files: the type comes from the content (filetype), and the file is
opened to prove it is whole (Pillow, pypdf, openpyxl). Names are made safe."""

from __future__ import annotations

import hashlib
import io
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
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
    )


def _prove_whole(mime: str, data: bytes, label: str) -> None:
    broken = InvalidInput(f"{label}已损坏或无法打开，请重新生成后上传。", code="file_broken")
    try:
        if mime == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(data), strict=False)
            if len(reader.pages) < 1:
                raise broken
            reader.pages[0].extract_text()
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
