"""Small real videos made by ffmpeg for the tests (skipped with a reason without ffmpeg;
CI installs Debian's ffmpeg package)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None or shutil.which("ffprobe") is None,
    reason="ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")


def make_video(path: Path, *, seconds: float = 3, size: str = "320x240", rate: int = 10,
               audio: bool = True, faststart: bool = False,
               pix_fmt: str = "yuv420p") -> Path:
    """A test pattern with a 440 Hz tone (or silent), H.264/AAC MP4."""
    command = ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi",
               "-i", f"testsrc=size={size}:rate={rate}"]
    if audio:
        command += ["-f", "lavfi", "-i", "sine=frequency=440"]
    command += ["-t", str(seconds), "-c:v", "libx264", "-preset", "ultrafast",
                "-pix_fmt", pix_fmt]
    command += ["-c:a", "aac"] if audio else ["-an"]
    if faststart:
        command += ["-movflags", "+faststart"]
    subprocess.run([*command, "-f", "mp4", str(path)], check=True, capture_output=True)
    return path


def top_level_boxes(path: Path) -> list[str]:
    """The names of an MP4 file's top-level boxes, in file order."""
    names, data = [], path.read_bytes()
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position:position + 4], "big")
        names.append(data[position + 4:position + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[position + 8:position + 16], "big")
        if size < 8:
            break
        position += size
    return names


def probe_streams(path: Path) -> dict:
    run = subprocess.run(["ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                          "-show_format", str(path)], check=True, capture_output=True)
    return json.loads(run.stdout)
