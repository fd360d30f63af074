"""A dot-file lock a crashed client left behind (``StaleLockPrompts``, a
mixin of ``tui.app.BangfuApp``).

With ``locking = "dotfile"`` a client that crashed while writing leaves its
lock directory, and nobody can write until it goes.  The app looks (in a
thread worker: on the share a stat can hang) when a save went to the outbox,
when the file could not be opened for a lock and at each freshness check; it
asks an administrator once per lock whether to remove it, and tells anyone
else to call one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import work

from tui.i18n import t

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from db.config import Settings
    from db.staff_view import StaffView

    _AppBase = App
else:
    _AppBase = object


class StaleLockPrompts(_AppBase):
    """Look at the lock, ask about it, remove it (see the module's text)."""

    if TYPE_CHECKING:  # the app's, used here
        settings: Settings
        staff: StaffView | None

        @property
        def db_path(self) -> Path | str: ...

        def flush_outbox(self) -> None: ...

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._lock_asked: float | None = None  # the stale lock already asked about

    def check_stale_lock(self) -> None:
        """Ask (once per lock) whether to remove a dot-file lock a crashed client left."""
        if self.settings.locking == "dotfile":
            self._look_at_lock()

    @work(thread=True, exclusive=True, group="lock", exit_on_error=False)
    def _look_at_lock(self) -> None:
        # on the share a stat can hang: never on the UI thread
        from db.store.lock import lock_dir, stale_lock_age

        age = stale_lock_age(self.db_path, self.settings.stale_lock)
        if age is None:
            return
        try:
            taken = lock_dir(self.db_path).stat().st_mtime
        except OSError:
            return
        self.call_from_thread(self._ask_about_lock, age, taken)

    def _ask_about_lock(self, age: float, taken: float) -> None:
        if taken == self._lock_asked:
            return
        self._lock_asked = taken
        from db.access import can
        from screens.confirm import RemoveLockScreen
        from tui.i18n import duration

        if not can(self.staff, "maintain"):  # removing a lock is an administrator's
            self.notify(t("app.stale_lock_admin", age=duration(age)), severity="warning",
                        timeout=15, markup=False)
            return

        def answered(remove: bool | None) -> None:
            if remove:
                self._remove_lock()

        self.push_screen(RemoveLockScreen(t("app.stale_lock", age=duration(age))), answered)

    @work(thread=True, group="lock-remove", exit_on_error=False)  # never cancelled by a look
    def _remove_lock(self) -> None:
        from db.store.lock import UNLOCK_WATCH_SECONDS, LockHeld, remove_lock, stale_lock_age

        # still stale? (its owner may have finished meanwhile, or shown it is
        # alive); the removal also rolls back the crashed writer's half-written change
        if stale_lock_age(self.db_path, self.settings.stale_lock) is None:
            return
        try:
            removed = remove_lock(self.db_path, watch=UNLOCK_WATCH_SECONDS)
        except LockHeld:
            removed = False
        if not removed:
            self.call_from_thread(self.notify, t("app.lock_in_use"), timeout=8, markup=False)
            return
        self.call_from_thread(self.notify, t("app.unlocked"), timeout=5, markup=False)
        self.call_from_thread(self.flush_outbox)
