"""Course assets: images under assets/, served to learners as they are.

Only raster images are accepted, and their first bytes must match the extension:
assets are served from our origin, so an HTML or SVG file renamed to .png must not
slip through and run as a page.
"""

import hashlib

from app.domain.course_files.spec import ASSETS_DIR, MAX_ASSET_BYTES, AssetSpec, Problem
from app.domain.markdown import ASSET_FILENAME

CONTENT_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}


def parse_asset(path: str, data: bytes, file: str) -> AssetSpec | Problem:
    filename = path.removeprefix(f"{ASSETS_DIR}/")
    if "/" in filename:
        return Problem(file, None, "assets sit directly in assets/, not in subfolders")
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension not in CONTENT_TYPES:
        return Problem(file, None, f"asset type '.{extension}' is not allowed; use "
                                   f"{', '.join(CONTENT_TYPES)} (no SVG: it can carry scripts)")
    if not ASSET_FILENAME.match(filename):
        return Problem(file, None, "asset file names use only letters, digits, '.', '_' and "
                                   "'-' (at most 120 characters)")
    if len(data) > MAX_ASSET_BYTES:
        return Problem(file, None, f"asset is {len(data)} bytes; at most "
                                   f"{MAX_ASSET_BYTES // (1024 * 1024)} MiB")
    if not _looks_like(extension, data):
        return Problem(file, None, f"the file's content is not a {extension.upper()} image")
    return AssetSpec(filename=filename, content_type=CONTENT_TYPES[extension], data=data,
                     sha256=hashlib.sha256(data).hexdigest())


def _looks_like(extension: str, data: bytes) -> bool:
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension == "gif":
        return data.startswith((b"GIF87a", b"GIF89a"))
    return data[:4] == b"RIFF" and data[8:12] == b"WEBP"
