"""File names of downloads: the Chinese name for browsers that read RFC 6266 ``filename*``
(every current one), and an ASCII name for the rest."""

import re
from urllib.parse import quote


def attachment(filename: str, fallback: str) -> str:
    """A Content-Disposition value that saves the file as ``filename`` (UTF-8, any script),
    or as ``fallback`` where only plain ``filename`` is understood."""
    plain = re.sub(r'[^A-Za-z0-9._-]+', "-", fallback).strip("-") or "download"
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"
