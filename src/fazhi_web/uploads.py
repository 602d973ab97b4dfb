"""Uploaded files, kept once under their sha256 outside the web root, and served only
after the caller's access check: report versions, 整改 evidence, 执法 records."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404


def store(content: bytes, sha256: str, suffix: str) -> str:
    """Write an upload once under its hash; identical uploads share the file. The name
    returned is what a record keeps (`stored_name`)."""
    name = f"{sha256[:2]}/{sha256}{suffix[:10]}"
    path = Path(settings.UPLOAD_ROOT) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".part")
        tmp.write_bytes(content)
        tmp.replace(path)
    return name


def path_of(stored_name: str) -> Path | None:
    """The file of a stored name, or None when the name would lead outside the root."""
    root = Path(settings.UPLOAD_ROOT).resolve()
    path = (root / stored_name).resolve()
    return path if path.is_relative_to(root) else None


def download(stored_name: str, filename: str, content_type: str) -> FileResponse:
    """The file as an attachment that no browser sniffs or caches."""
    path = path_of(stored_name)
    if path is None or not path.is_file():
        raise Http404("文件不存在或无权访问。")
    # FileResponse sends a non-ASCII name as RFC 5987 filename*=utf-8''.
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
