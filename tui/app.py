"""The bangfu application shell: sign-in state, the roster index.

Screens live in ``screens/``; this module holds what they share: who is
signed in, the in-memory roster (loaded and refreshed in thread workers so
typing never waits on the share), the idle lock.  The app's other concerns
are mixins of ``BangfuApp``, each in its own module:
``tui.typeahead`` (keys typed ahead), ``tui.jobs`` (freshness, the outbox,
the backup), ``tui.stale_lock`` (a lock a crashed client left) and
``tui.app_commands`` (ctrl+p, F1, the keymap, the theme); what every open
screen is told is a message of ``tui.broadcast``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message

from db import clock
from db.store.connected import connected
from db.search import RosterRow
from db.search_index import RosterIndex
from tui.app_commands import AppCommands, screen_actions_provider, system_commands_provider
from tui.broadcast import DatabaseFailed, DatabaseReady, OthersWrote, RosterChanged, tell_screens
from tui.i18n import database_error, failure, t
from tui.jobs import Jobs
from tui.stale_lock import StaleLockPrompts
from tui.typeahead import TypeAhead

if TYPE_CHECKING:
    from db.access import Scope
    from db.config import Settings
    from db.staff_view import StaffView

IDLE_CHECK_SECONDS = 5.0  # how often the idle lock looks at the time since the last key


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


class BangfuApp(TypeAhead, Jobs, StaleLockPrompts, AppCommands, App):
    CSS_PATH = "bangfu.tcss"
    COMMANDS = {screen_actions_provider, system_commands_provider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", id="quit", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", id="palette", show=False),
        # F1 from anywhere, a text field included (F1 types nothing); the footer
        # shows it beside ^p (KeyFooter._help_text)
        Binding("f1", "help", "key.help", id="help", priority=True, show=False),
    ]
    # below 80 columns every screen has the class -narrow (bangfu.tcss fits the forms to 60)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (80, "-wide")]

    class RosterLoaded(Message):
        def __init__(self, index: RosterIndex, marker: int):
            super().__init__()
            self.index = index
            self.marker = marker

    def __init__(self, settings: Settings | None = None, database=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.settings: Settings = settings  # type: ignore[assignment]  # every caller gives them
        self.database = database  # opened by a worker after the first frame if None
        self.db_ready = False
        self.office = False  # opened with a town's or a county's office role (screens.office)
        self.staff: StaffView | None = None  # once signed in
        self.scope: Scope | None = None  # the students they may see
        self._all: RosterIndex | None = None  # the whole roster, in memory
        self.index: RosterIndex | None = None  # the students the person signed in sees
        self.roster_marker: int | None = None  # the change marker the roster was loaded at
        self._drafts_offered = True  # until someone signs in
        self._last_input = time.monotonic()  # the idle lock counts from here
        self.locked = False
        self.title = t("app.title")

    async def on_event(self, event: events.Event) -> None:
        """The idle lock counts from the last key (or paste); keys typed ahead
        reach their field (``tui.typeahead``)."""
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def get_driver_class(self):
        """On a Unix terminal, Textual's driver reading keys as typed (``tui.keyboard``)."""
        from textual.drivers.linux_driver import LinuxDriver

        driver = super().get_driver_class()
        if driver is LinuxDriver:
            from tui.keyboard import BangfuDriver

            return BangfuDriver
        return driver

    @property
    def db_path(self):
        """The database file (the share path), whoever opened it."""
        return getattr(self.database, "bangfu_path", None) or self.settings.db_path

    @property
    def today(self):
        return clock.today()

    def on_mount(self) -> None:
        from screens.signin import SignInScreen

        self.apply_theme()
        self.push_screen(SignInScreen())
        if getattr(self.settings, "keymap", ()) != ():
            # checking it imports every screen: after the first frame
            self.call_after_refresh(self.apply_keymap)
        self.set_interval(IDLE_CHECK_SECONDS, self.check_idle_lock)
        # open the file and load the roster once the first screen is on the
        # terminal: nothing slow (or on the share) before the first frame
        self.call_after_refresh(self.open_database)

    @work(thread=True, exclusive=True, group="open", exit_on_error=False)
    def open_database(self) -> None:
        if self.database is None:
            from db.store.connection import DatabaseError, open_database

            from db.store.district import is_office

            try:
                self.database = open_database(self.settings.db_path,
                                              create=self.settings.db_source == "default",
                                              locking=self.settings.locking, office=True)
                self.office = is_office(self.database)
            except DatabaseError as exc:
                self.call_from_thread(self._database_failed, exc)
                return
            self.database.close()  # this thread's connection; others open their own
        self.call_from_thread(self._database_ready)

    def on_unmount(self) -> None:
        self.stop_jobs()

    def _database_ready(self) -> None:
        self.db_ready = True
        if self.office:  # a town's or a county's office: the schools' figures, no sign-in
            from screens.office import OfficeScreen

            self.switch_screen(OfficeScreen())
            return
        tell_screens(self, DatabaseReady)
        self.load_roster()
        self.start_jobs()  # freshness and outbox timers, the outbox count, the backup

    def _database_failed(self, exc) -> None:
        from db.text import one_line

        tell_screens(self, DatabaseFailed,
                     database_error(exc.code, exc.path, one_line(exc.detail)[:200], self.settings))
        if "locked" in exc.detail:
            self.check_stale_lock()

    def on_resize(self) -> None:
        """A terminal smaller than the screens are made for: say so, instead of
        showing them cut off (the notice goes when it is big enough again).
        After the refresh: at start-up, once the first screen is there."""
        self.call_after_refresh(self._check_size)

    def _check_size(self) -> None:
        from tui.widgets import TooSmallScreen, too_small

        if len(self.screen_stack) <= 1:  # starting: the first screen is not pushed yet
            self.call_after_refresh(self._check_size)
        elif too_small(self.size) and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())

    def action_audit(self) -> None:
        """The audit log (administrators only)."""
        if not self.allowed("audit"):
            return
        from screens.audit import AuditScreen

        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen())

    # -- signing in ---------------------------------------------------------
    def sign_in(self, staff, scope=None) -> None:
        from db.access import can, scope_for
        from screens.roster import RosterScreen

        from db import session

        session.keep_only(staff.id)  # the previous person's keys go with them
        self.staff = staff
        self.scope = scope or scope_for(staff)
        self._show_index()
        self.count_waiting()  # their own waiting entries (and the header)
        if can(staff, "maintain"):
            self._check_keys()
        self._drafts_offered = False
        self.switch_screen(RosterScreen())  # which offers this person's drafts

    @work(thread=True, exclusive=True, group="keys", exit_on_error=False)
    def _check_keys(self) -> None:
        """An administrator is told when restricted text is stored as typed (not sealed yet)."""
        from db import keys, sealing

        with connected():
            ready = keys.is_set_up() or not sealing.has_restricted()
        if not ready:
            self.call_from_thread(self.notify, t("app.keys_not_set_up"), severity="warning",
                                  timeout=10, markup=False)

    def allowed(self, ability: str) -> bool:
        """Whether the person signed in may (``db.access``); if not, say so."""
        from db.access import can

        if can(self.staff, ability):
            return True
        self.not_allowed(ability)
        return False

    def not_allowed(self, code: str) -> None:
        """Say why not (``db.access.NotAllowed.code`` or an ability)."""
        self.notify(t(f"err.access.{code}"), severity="warning", markup=False)

    def staff_changed(self) -> None:
        """Accounts were changed (F9): the person signed in may have a new role."""
        if self.staff is not None:
            self._reload_me(self.staff.id)

    @work(thread=True, exclusive=True, group="me", exit_on_error=False)
    def _reload_me(self, staff_id: int) -> None:
        from db.access import scope_for
        from db.staff import staff_view

        with connected():
            view = staff_view(staff_id)
            scope = scope_for(view) if view is not None else None
        self.call_from_thread(self._me_reloaded, staff_id, view, scope)

    def _me_reloaded(self, staff_id: int, view, scope) -> None:
        if self.staff is None or self.staff.id != staff_id or view is None:
            return
        self.staff, self.scope = view, scope
        self._show_index()
        tell_screens(self, RosterChanged)

    # -- the idle lock ------------------------------------------------------------
    def check_idle_lock(self) -> None:  # (check_idle is Textual's own)
        minutes = getattr(self.settings, "idle_lock", 0) if self.settings else 0
        if (minutes and self.staff is not None and not self.locked
                and time.monotonic() - self._last_input >= minutes * 60):
            self.lock()

    def lock(self) -> None:
        """Hide everything behind the sign-in list (the shared workstation was
        left alone).  Open forms stay as they are, their drafts on this computer."""
        from screens.signin import LockScreen

        self.locked = True
        self.sub_title = ""
        self.push_screen(LockScreen())

    def unlock(self, staff, scope=None) -> None:
        """The same person goes on where they were; another starts afresh (the
        forms left open are their owner's drafts, offered at their next sign-in)."""
        self.locked = False
        if self.staff is not None and staff.id == self.staff.id:
            self.pop_screen()
            self.show_who()
            return
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.sign_in(staff, scope)

    def action_switch_user(self) -> None:
        from db import session
        from screens.signin import SignInScreen

        session.signed_out()

        self.staff = None
        self.scope = None
        self.index = None
        self.locked = False
        self.count_waiting()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(SignInScreen())

    # -- the roster, in memory ------------------------------------------------
    @work(thread=True, exclusive=True, group="roster", exit_on_error=False)
    def load_roster(self) -> None:
        from db.roster import change_marker, load_rows

        with connected():
            marker = change_marker()
            rows = load_rows()
        index = RosterIndex(rows)
        del rows
        release_memory()
        self.post_message(self.RosterLoaded(index, marker))

    def on_bangfu_app_roster_loaded(self, message: RosterLoaded) -> None:
        first = self._all is None
        self._all = message.index
        self._show_index()
        self.roster_marker = message.marker
        tell_screens(self, RosterChanged)
        if not first:
            self.notify(t("app.refreshed"), timeout=3, markup=False)

    @work(thread=True, exclusive=True, group="open-case", exit_on_error=False)
    def open_case(self, opener, student_id: int) -> None:
        """Load the case first, then show its screen complete in one frame."""
        from db.access import sees_student
        from db.cases import load_case

        with connected():
            if not sees_student(self.staff, student_id):  # a stale row, a draft
                self.call_from_thread(self.not_allowed, "student")
                return
            view = load_case(student_id, reader=self.staff)
        self.call_from_thread(self.show_case, opener, student_id, view)

    def show_case(self, opener, student_id: int, view) -> None:
        """Show a loaded case, if the screen that asked is still the one on top.

        One case screen, kept installed: opening the next case only fills it."""
        from screens.case import CaseScreen

        if self.screen is not opener or view is None:
            return
        if not self.is_screen_installed("case"):
            self.install_screen(CaseScreen(), "case")
        screen = self.get_screen("case", CaseScreen)
        screen.prepare(student_id, view)
        self.push_screen(screen)

    def others_wrote(self) -> None:
        """Another workstation (or the outbox) saved: reload the roster, let open
        screens catch up."""
        self.load_roster()
        tell_screens(self, OthersWrote)

    def student_saved(self, student_id: int) -> None:
        """After our own save: refresh that one row, no full reload."""
        self._refresh_student(student_id)

    @work(thread=True, group="roster-row", exit_on_error=False)
    def _refresh_student(self, student_id: int) -> None:
        from db.roster import load_rows

        with connected():
            rows = load_rows([student_id])
        self.call_from_thread(self._apply_row, rows)

    def _apply_row(self, rows: list[RosterRow]) -> None:
        if self._all is None:
            return
        for row in rows:
            self._all.upsert(row)
        self._show_index()
        tell_screens(self, RosterChanged)

    def _show_index(self) -> None:
        """The roster as the person signed in may see it (db.access): all of it
        for leaders and counsellors, else their classes and their cases."""
        if self._all is None or self.scope is None:
            self.index = None
        else:
            self.index = self._all.restricted_to(self.scope)

    # -- the header, drafts --------------------------------------------------------
    def show_who(self) -> None:
        """The header: who is signed in, and how many entries wait in the outbox."""
        if self.staff is None:
            self.sub_title = t("app.waiting", n=self.waiting) if self.waiting else ""
            return
        waiting = f" · {t('app.waiting', n=self.waiting)}" if self.waiting else ""
        self.sub_title = f"{self.staff.name}{waiting}"

    def offer_drafts(self) -> None:
        """After sign-in: forms this person left unsaved (crash, closed terminal)."""
        from db.store.local import drafts

        if self.staff is None or self._drafts_offered:
            return
        self._drafts_offered = True
        try:
            found = drafts(self.db_path, self.staff.id)
        except OSError:
            return
        if found:
            from screens.drafts import DraftsScreen

            self.push_screen(DraftsScreen(found))

    # -- status -------------------------------------------------------------
    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.state == WorkerState.ERROR:
            # name the kind of failure only: messages may quote personal data
            self.notify(t("app.worker_failed", detail=failure(event.worker.error)),
                        severity="error", timeout=8, markup=False)

    def busy_retry(self, attempt: int, delay: float) -> None:
        """Called from a worker thread while the share is busy."""
        self.call_from_thread(self.notify, t("app.busy_retry", attempt=attempt),
                              severity="warning", timeout=max(2.0, delay + 1))
