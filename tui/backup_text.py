"""A backup in words, for the app (its daily backup) and ``bangfu backup``:
sizes, and what a failed backup tells a person.  No Textual here."""

from __future__ import annotations

from db.text import one_line
from tui.i18n import t


def size_text(n: int | None) -> str:
    """Bytes as "512 B", "1.5 MiB"; "—" for an unknown size."""
    if n is None:
        return "—"
    size: float = n
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


def backup_message(exc, path) -> str:
    """What a failed backup (``storage.BackupError``) tells a person: what
    happened and what to do; never an exception's class name."""
    folder = getattr(exc, "folder", "")
    code = getattr(exc, "code", "failed")
    if code == "no_space" and exc.free is not None:
        return t("cli.backup_no_space", path=path, folder=folder, need=size_text(exc.need),
                 free=size_text(exc.free))
    if code == "no_space":
        return t("cli.backup_full", path=path, folder=folder)
    if code == "check":
        return t("cli.backup_check", path=path)
    detail = getattr(exc, "detail", "") or t("cli.backup_unknown")
    return t("cli.backup_error", path=path, folder=folder, detail=one_line(detail)[:200])


def backup_reason(exc) -> str:
    """The app's short reason for a failed daily backup (``app.backup_failed``)."""
    code = getattr(exc, "code", "")
    if code in ("no_space", "check"):
        return t(f"cli.backup_reason.{code}")
    return t("cli.backup_unknown")
