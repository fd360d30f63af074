"""Where exported files go, and safe names for them (no Textual imported).

Files go to ``BANGFU_EXPORT_DIR``, else ``~/bangfu-exports``; the folder is
created (owner and group only) when the first file is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def export_dir() -> Path:
    return Path(os.environ.get("BANGFU_EXPORT_DIR") or Path.home() / "bangfu-exports")


def safe_name(text: str) -> str:
    """A file-name part from user text: letters (any script), digits, - and _."""
    out = "".join(c if c.isalnum() or c in "-_" else "_" for c in text).strip("_")
    return out[:60] or "export"


def default_path(*parts: str, suffix: str) -> Path:
    """``~/bangfu-exports/<part>-<part>.<suffix>``."""
    return export_dir() / ("-".join(safe_name(p) for p in parts if p) + "." + suffix)


def prepare(path: str | os.PathLike) -> Path:
    """The target as a path with its folder made (mode 0o770) if missing."""
    target = Path(os.path.expanduser(str(path)))
    target.parent.mkdir(mode=0o770, parents=True, exist_ok=True)
    return target


def write_via_temp(path: str | os.PathLike, fill: Callable[[Path], None]) -> Path:
    """Write ``path`` through a temporary file beside it, renamed over it once
    ``fill(temp_path)`` has written it: a reader never sees half a file, and a
    failure leaves no temporary file behind.  Returns the path written."""
    target = prepare(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        fill(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target
