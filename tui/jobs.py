"""What the app does by itself once the file is open (``Jobs``, a mixin of
``tui.app.BangfuApp``): look whether others wrote (every FRESHNESS_SECONDS),
write this computer's outbox (every OUTBOX_SECONDS), the day's backup.

Each runs in a thread worker: the share may be slow or gone, and typing
never waits on it.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from textual import work

from db import clock
from db.store.connected import connected
from tui.i18n import t

if TYPE_CHECKING:
    from pathlib import Path

    from textual.app import App

    from db.config import Settings
    from db.outbox import FlushResult
    from db.search_index import RosterIndex
    from db.store.server import Listener
    from db.staff_view import StaffView

    _AppBase = App
else:
    _AppBase = object

FRESHNESS_SECONDS = 3.0
FULL_CHECK_SECONDS = 30.0
OUTBOX_SECONDS = 10.0  # how often waiting entries are tried again


class Jobs(_AppBase):
    """Freshness, the outbox and the backup (see the module's text)."""

    if TYPE_CHECKING:  # the app's, used here
        settings: Settings
        staff: StaffView | None
        db_ready: bool
        index: RosterIndex | None
        roster_marker: int | None  # the change marker the roster in memory was loaded at

        @property
        def db_path(self) -> Path | str: ...

        def show_who(self) -> None: ...

        def others_wrote(self) -> None: ...

        def check_stale_lock(self) -> None: ...

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stamp: int | None = None  # the file's change counter at the last check
        self._full_check = 0.0
        self._listener: Listener | None = None  # on a server: made at the first check
        self.waiting = 0  # entries in this computer's outbox for this file
        self._outbox_problems = 0  # waiting entries that cannot be written as they are

    def start_jobs(self) -> None:
        """Once the file is open: the timers, the outbox count, the day's backup."""
        self.set_interval(FRESHNESS_SECONDS, self.check_freshness)
        self.set_interval(OUTBOX_SECONDS, self.flush_outbox)
        self.count_waiting()
        self.daily_backup()

    def stop_jobs(self) -> None:
        """At the end: close the server connection that listened for changes."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    # -- freshness: did others write? ----------------------------------------------
    def check_freshness(self) -> None:
        if self.index is not None:
            self._check_marker()
        if self.settings.locking == "dotfile":
            self.check_stale_lock()

    @work(thread=True, exclusive=True, group="freshness", exit_on_error=False)
    def _check_marker(self) -> None:
        from db.store.host import hostname
        from db.roster import change_marker, changed_by_others
        from db.store.storage import change_counter

        # every commit bumps the change counter in the file's header: reading
        # those 100 bytes takes no lock, so an unchanged counter skips opening
        # a connection (and the share's locks); still look properly now and then.
        # On a server, a LISTENing connection counts the commits' notifications.
        if self.settings.on_server:
            if self._listener is None:
                from db.store.server import Listener

                self._listener = Listener(cast("str", self.settings.db_path))  # (a server's URL)
            stamp = self._listener.stamp()
        else:
            stamp = change_counter(self.db_path)
        if stamp is None:  # the share is out of reach: nothing to look at now
            return
        now = time.monotonic()
        if stamp is not None and stamp == self._stamp and now - self._full_check < FULL_CHECK_SECONDS:
            return
        self._stamp, self._full_check = stamp, now
        since = self.roster_marker
        with connected():
            marker = change_marker()
            if since is None or marker == since:
                return
            others = changed_by_others(since, self.staff.id if self.staff else None,
                                       hostname())
        if others:
            self.call_from_thread(self.others_wrote)
        else:  # only our own saves, already applied row by row
            self.roster_marker = marker

    # -- the outbox ------------------------------------------------------------------
    def count_waiting(self) -> None:
        """Before sign-in, every waiting file here (a number, nothing more); then
        the signed-in person's own (others' wait for their author's sign-in)."""
        from db.store.local import outbox_count

        try:
            self.waiting = outbox_count(self.db_path,
                                        None if self.staff is None else self.staff.id)
        except OSError:
            self.waiting = 0
        self.show_who()

    def entry_queued(self) -> None:
        """A save went to the outbox: show the count, look at the lock."""
        self.count_waiting()
        self.check_stale_lock()

    def flush_outbox(self) -> None:
        """Every OUTBOX_SECONDS and when the file is back: write the waiting
        entries of the person signed in, as them, only those their key proves
        (``db.outbox.flush_outbox``); nobody signed in, nothing is written."""
        if self.staff is None or not self.db_ready:
            return
        self.count_waiting()  # a file may have been put here meanwhile
        if self.waiting:
            self._flush_outbox(self.staff)

    @work(thread=True, exclusive=True, group="outbox", exit_on_error=False)
    def _flush_outbox(self, reader: StaffView) -> None:
        from db.outbox import flush_outbox

        try:
            with connected():
                result = flush_outbox(self.db_path, reader)
        except Exception:  # noqa: BLE001 - still unreachable: try again later
            result = None
        self.call_from_thread(self._flushed, result)

    def _flushed(self, result: FlushResult | None) -> None:
        self.count_waiting()
        if result is None:
            return
        if result.refused:  # moved aside, so told once for each
            earlier = sum(1 for _, why in result.refused if why == "earlier_pin")
            if earlier:
                self.notify(t("app.outbox_earlier_pin", n=earlier, path=result.folder),
                            severity="warning", timeout=15, markup=False)
            if len(result.refused) > earlier:
                self.notify(t("app.outbox_refused", n=len(result.refused) - earlier,
                              path=result.folder), severity="error", timeout=15, markup=False)
        if result.written or result.present:
            self.notify(t("app.outbox_written", n=result.written + result.present),
                        timeout=4, markup=False)
            self.others_wrote()  # the roster and any open case show them now
        if result.problems and len(result.problems) != self._outbox_problems:
            # told once per change, not every 10 s
            self.notify(t("app.outbox_problem", n=len(result.problems)), severity="error",
                        timeout=10, markup=False)
        self._outbox_problems = len(result.problems)

    # -- the day's backup ----------------------------------------------------------
    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def daily_backup(self) -> None:
        """The first start of a day makes that day's backup (quietly, between writes)."""
        from db.store import storage

        if self.settings.on_server:  # the server's own backups (pg_dump) do that
            return
        try:
            if not storage.backup_due(self.db_path, clock.today()):
                return
            storage.backup(self.db_path, self.settings.locking, keep=self.settings.backups,
                           now=clock.now())
        except Exception as exc:  # noqa: BLE001 - told, never fatal
            from tui.backup_text import backup_reason

            self.call_from_thread(self.notify, t("app.backup_failed", detail=backup_reason(exc)),
                                  severity="warning", timeout=8, markup=False)
