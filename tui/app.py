"""The bangfu application shell: sign-in state, the roster index, freshness.

Screens live in ``screens/``; this module holds what they share: who is
signed in, the in-memory roster (loaded and refreshed in thread workers so
typing never waits on the share) and the command palette provider.
"""

from __future__ import annotations

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message

from db import clock
from db.search import RosterIndex, RosterRow
from tui.i18n import database_error, t

FRESHNESS_SECONDS = 3.0
FULL_CHECK_SECONDS = 30.0


def release_memory() -> None:
    """After loading the roster: keep it out of GC passes, give back loader memory.

    ``gc.freeze`` moves everything alive now (the roster) to a generation the
    collector skips, so later passes do not walk 20,000 rows.  The loader's
    temporary rows were freed, but glibc keeps such memory in the worker
    thread's arena unless asked to return it.
    """
    import ctypes
    import gc

    gc.collect()
    gc.freeze()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def screen_actions_provider():
    """The palette provider, imported when the palette first opens (not at start-up)."""
    from tui.commands import ScreenActions

    return ScreenActions


class BangfuApp(App):
    CSS_PATH = "bangfu.tcss"
    COMMANDS = {screen_actions_provider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", id="palette", show=False),
    ]

    class RosterLoaded(Message):
        def __init__(self, index: RosterIndex, marker: int):
            super().__init__()
            self.index = index
            self.marker = marker

    def __init__(self, settings=None, database=None, **kwargs):
        super().__init__(**kwargs)
        self.settings = settings
        self.database = database  # opened by a worker after the first frame if None
        self.db_ready = False
        self.staff = None  # db.staff.StaffView once signed in
        self.index: RosterIndex | None = None
        self._marker: int | None = None
        self._stamp: tuple | None = None  # (mtime, size) of the file at the last check
        self._full_check = 0.0
        self.title = t("app.title")

    @property
    def today(self):
        return clock.today()

    def on_mount(self) -> None:
        from screens.signin import SignInScreen

        self.push_screen(SignInScreen())
        # open the file and load the roster once the first screen is on the
        # terminal: nothing slow (or on the share) before the first frame
        self.call_after_refresh(self.open_database)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_database(self) -> None:
        if self.database is None:
            from db.connection import DatabaseError, open_database

            try:
                self.database = open_database(self.settings.db_path,
                                              create=self.settings.db_source == "default")
            except DatabaseError as exc:
                self.call_from_thread(self._database_failed, exc)
                return
            self.database.close()  # this thread's connection; others open their own
        self.call_from_thread(self._database_ready)

    def _tell_screens(self, method: str, *args) -> None:
        """Call ``method`` on every open screen that has it."""
        for screen in self.screen_stack:
            if hasattr(screen, method):
                getattr(screen, method)(*args)

    def _database_ready(self) -> None:
        self.db_ready = True
        self._tell_screens("database_ready")
        self.load_roster()
        self.set_interval(FRESHNESS_SECONDS, self.check_freshness)

    def _database_failed(self, exc) -> None:
        from db.text import one_line

        self._tell_screens("database_failed",
                           database_error(exc.code, exc.path, one_line(exc.detail)[:200]))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"),
                                            id="--command-palette"))

    def get_system_commands(self, screen):
        yield SystemCommand(t("key.quit"), t("cmd.quit.help"), self.action_quit)
        if self.staff is not None:
            yield SystemCommand(t("key.switch_user"), t("cmd.switch_user.help"),
                                self.action_switch_user)

    # -- signing in ---------------------------------------------------------
    def sign_in(self, staff) -> None:
        from screens.roster import RosterScreen

        self.staff = staff
        self.sub_title = staff.name
        self.switch_screen(RosterScreen())

    def action_switch_user(self) -> None:
        from screens.signin import SignInScreen

        self.staff = None
        self.sub_title = ""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())

    # -- the roster, in memory ------------------------------------------------
    @work(thread=True, exclusive=True, group="roster", exit_on_error=False)
    def load_roster(self) -> None:
        from db.models import database
        from db.roster import change_marker, load_rows

        with database.connection_context():
            marker = change_marker()
            rows = load_rows()
        index = RosterIndex(rows)
        del rows
        release_memory()
        self.post_message(self.RosterLoaded(index, marker))

    def on_bangfu_app_roster_loaded(self, message: RosterLoaded) -> None:
        first = self.index is None
        self.index = message.index
        self._marker = message.marker
        self._tell_screens("roster_changed")
        if not first:
            self.notify(t("app.refreshed"), timeout=3, markup=False)

    def check_freshness(self) -> None:
        if self.index is not None:
            self._check_marker()

    @work(thread=True, exclusive=True, group="freshness", exit_on_error=False)
    def _check_marker(self) -> None:
        import os
        import time

        from db.connection import hostname
        from db.models import database
        from db.roster import change_marker, changed_by_others

        # every commit rewrites the file, so an unchanged size and mtime mean
        # nothing new: skip opening a connection (and the share's locks), but
        # still look properly now and then in case the share's times are coarse
        try:
            st = os.stat(database.database)
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        now = time.monotonic()
        if stamp is not None and stamp == self._stamp and now - self._full_check < FULL_CHECK_SECONDS:
            return
        self._stamp, self._full_check = stamp, now
        since = self._marker
        with database.connection_context():
            marker = change_marker()
            if since is None or marker == since:
                return
            others = changed_by_others(since, self.staff.id if self.staff else None,
                                       hostname())
        if others:
            self.call_from_thread(self.load_roster)
        else:  # only our own saves, already applied row by row
            self._marker = marker

    def student_saved(self, student_id: int) -> None:
        """After our own save: refresh that one row, no full reload."""
        self._refresh_student(student_id)

    @work(thread=True, group="roster-row", exit_on_error=False)
    def _refresh_student(self, student_id: int) -> None:
        from db.models import database
        from db.roster import load_rows

        with database.connection_context():
            rows = load_rows([student_id])
        self.call_from_thread(self._apply_row, rows)

    def _apply_row(self, rows: list[RosterRow]) -> None:
        if self.index is None:
            return
        for row in rows:
            self.index.upsert(row)
        self._tell_screens("roster_changed")

    # -- status -------------------------------------------------------------
    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            # name the kind of failure only: messages may quote personal data
            self.notify(t("app.worker_failed", detail=type(event.worker.error).__name__),
                        severity="error", timeout=8, markup=False)

    def busy_retry(self, attempt: int, delay: float) -> None:
        """Called from a worker thread while the share is busy."""
        self.call_from_thread(self.notify, t("app.busy_retry", attempt=attempt),
                              severity="warning", timeout=max(2.0, delay + 1))
