"""The bangfu application shell: sign-in state, the roster index, freshness.

Screens live in ``screens/``; this module holds what they share: who is
signed in, the in-memory roster (loaded and refreshed in thread workers so
typing never waits on the share) and the command palette provider.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from db import clock
from db.search import RosterIndex, RosterRow
from tui.i18n import database_error, failure, t

FRESHNESS_SECONDS = 3.0
FULL_CHECK_SECONDS = 30.0
OUTBOX_SECONDS = 10.0  # how often waiting entries are tried again
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


def screen_actions_provider():
    """The palette provider, imported when the palette first opens (not at start-up)."""
    from tui.commands import ScreenActions

    return ScreenActions


def system_commands_provider():
    """The app's commands (bangfu's and Textual's, ``get_system_commands``) in the palette."""
    from tui.commands import SystemCommands

    return SystemCommands


class BangfuApp(App):
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

    def __init__(self, settings=None, database=None, **kwargs):
        super().__init__(**kwargs)
        self.settings = settings
        self.database = database  # opened by a worker after the first frame if None
        self.db_ready = False
        self.staff = None  # db.staff.StaffView once signed in
        self.scope = None  # db.access.Scope: the students they may see
        self._all: RosterIndex | None = None  # the whole roster, in memory
        self.index: RosterIndex | None = None  # the students the person signed in sees
        self._marker: int | None = None
        self._stamp: int | None = None  # the file's change counter at the last check
        self._full_check = 0.0
        self._listener = None  # on a server: db.server.Listener, made at the first check
        self.waiting = 0  # entries in this computer's outbox for this file
        self._outbox_problems = 0  # waiting entries that cannot be written as they are
        self._lock_asked: float | None = None  # the stale lock already asked about
        self._drafts_offered = True  # until someone signs in
        self._key_queue: deque = deque()  # keys typed ahead of the one being handled
        self._key_busy = False
        self._key_task: asyncio.Task | None = None
        self._typed_into = None  # the text field the last typed letters went to
        self._last_input = time.monotonic()  # the idle lock counts from here
        self.locked = False
        self.title = t("app.title")

    # -- type-ahead ------------------------------------------------------------
    KEY_SETTLE_SECONDS = 0.25  # a key's round trip waits at most this long; never a hang

    async def on_event(self, event) -> None:
        """Keys typed ahead reach the field they were typed for.

        Textual hands a key to the focused widget and goes straight on to the
        next key; a Tab or Enter that moves the focus is acted on only when the
        key has bubbled back up to the app, behind the keys that came with it.
        Keys that arrive in one burst (a fast typist, an SSH packet carrying
        several keystrokes) then land in the old field, or a Tab is lost.  So
        while one key is on its way, the keys after it wait here, in order, and
        each is dispatched once the one before has been handled.
        """
        if isinstance(event, events.InputEvent):
            self._last_input = time.monotonic()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            if self._key_busy:  # pasted after keys still on their way: after them
                self._key_queue.append(event)
                return
            self._clean_paste(event)
        if not isinstance(event, events.Key) or event.is_forwarded or not self.is_running:
            await super().on_event(event)
            return
        if self._key_busy:
            self._key_queue.append(event)
            return
        if self._stays_in_field(event):
            self._typed_into = self.focused
            await super().on_event(event)  # typing: no round trip needed (and none paid)
            return
        if self._typed_into is not None:
            # what was typed is taken in first: a priority binding (Enter that
            # saves, say) acts at once and must not overtake the last letters
            await self._through(self._chain(self._typed_into))
            self._typed_into = None
        await self._dispatch_key(event)

    def _stays_in_field(self, event) -> bool:
        """A character for the focused text field: it is taken in there and
        moves no focus, so the next key may follow at once.  (Backspace, the
        arrows and the like are the field's bindings, resolved only when the
        key bubbles back up to the app: they take the round trip.)"""
        if not event.is_printable:
            return False
        focused = self.focused
        # TextArea by name: it is imported only when a form first needs it
        return isinstance(focused, Input) or any(
            base.__name__ == "TextArea" for base in type(focused).__mro__)

    async def _dispatch_key(self, event) -> None:
        self._key_busy = True
        chain = self._chain(self.focused or self.screen)
        await super().on_event(event)  # priority bindings, else to the focused widget
        self._key_task = asyncio.create_task(self._key_handled(chain))

    def _chain(self, widget) -> list:
        """The widget and its containers up to the screen: where a key bubbles."""
        chain = []
        while widget is not None and widget is not self:
            chain.append(widget)
            widget = widget.parent
        return chain

    async def _through(self, chain: list) -> None:
        """Wait until each of ``chain`` has handled what was queued for it (in
        order, so what one bubbled to the next is waited for too)."""
        for node in chain:
            done = asyncio.Event()
            if not node.call_later(done.set):
                continue  # gone (a closed screen): nothing more to wait for there
            try:
                await asyncio.wait_for(done.wait(), self.KEY_SETTLE_SECONDS)
            except TimeoutError:
                return

    async def _key_handled(self, chain: list) -> None:
        """Once the key went through the widget and its containers (a bubbled key
        is then in the app's queue), let the next key go, after it."""
        await self._through(chain)
        if not self.call_later(self._next_key):
            self._key_busy = False

    async def _next_key(self) -> None:
        self._key_busy = False
        while self._key_queue:
            event = self._key_queue.popleft()
            if not isinstance(event, events.Paste):
                await self._dispatch_key(event)
                return
            self._clean_paste(event)  # for the field focused now
            await super().on_event(event)

    def _clean_paste(self, event: events.Paste) -> None:
        """A pasted escape never reaches a field; a one-line field keeps every
        pasted line (joined by spaces), never only the first."""
        from db.text import clean

        event.text = clean(event.text, multiline=not isinstance(self.focused, Input))

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
            from db.connection import DatabaseError, open_database

            try:
                self.database = open_database(self.settings.db_path,
                                              create=self.settings.db_source == "default",
                                              locking=self.settings.locking)
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

    def on_unmount(self) -> None:
        if self._listener is not None:  # the server connection that listened for changes
            self._listener.close()
            self._listener = None

    def _database_ready(self) -> None:
        self.db_ready = True
        self._tell_screens("database_ready")
        self.load_roster()
        self.set_interval(FRESHNESS_SECONDS, self.check_freshness)
        self.set_interval(OUTBOX_SECONDS, self.flush_outbox)
        self.count_waiting()
        self.daily_backup()

    def _database_failed(self, exc) -> None:
        from db.text import one_line

        self._tell_screens("database_failed",
                           database_error(exc.code, exc.path, one_line(exc.detail)[:200],
                                          self.settings))
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

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("palette.placeholder"),
                                            id="--command-palette"))

    def get_system_commands(self, screen):
        # Textual's own (the theme, screenshot, maximize…), named in the interface
        # language; its Quit is ours below, its keys panel our translated F1 help
        from tui.commands import TEXTUAL_COMMANDS

        for command in super().get_system_commands(screen):
            if command.callback == self.action_quit:
                continue
            if command.callback == self.action_show_help_panel:
                command = command._replace(callback=self.action_help)
            name = TEXTUAL_COMMANDS.get(command.title)
            if name:
                command = command._replace(title=t(f"cmd.{name}"), help=t(f"cmd.{name}.help"))
            yield command
        yield SystemCommand(t("key.quit"), t("cmd.quit.help"), self.action_quit)
        if self.staff is not None:
            yield SystemCommand(t("key.switch_user"), t("cmd.switch_user.help"),
                                self.action_switch_user)
        from db.access import can

        if can(self.staff, "audit"):
            yield SystemCommand(t("key.audit"), t("cmd.audit.help"), self.action_audit)

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
        from db import keys
        from db.models import database

        with database.connection_context():
            ready = keys.is_set_up() or not keys.has_restricted()
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
        from db.models import database
        from db.staff import staff_view

        with database.connection_context():
            view = staff_view(staff_id)
            scope = scope_for(view) if view is not None else None
        self.call_from_thread(self._me_reloaded, staff_id, view, scope)

    def _me_reloaded(self, staff_id: int, view, scope) -> None:
        if self.staff is None or self.staff.id != staff_id or view is None:
            return
        self.staff, self.scope = view, scope
        self._show_index()
        self._tell_screens("roster_changed")

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
            self._show_who()
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
        first = self._all is None
        self._all = message.index
        self._show_index()
        self._marker = message.marker
        self._tell_screens("roster_changed")
        if not first:
            self.notify(t("app.refreshed"), timeout=3, markup=False)

    def check_freshness(self) -> None:
        if self.index is not None:
            self._check_marker()
        if self.settings.locking == "dotfile":
            self.check_stale_lock()

    @work(thread=True, exclusive=True, group="freshness", exit_on_error=False)
    def _check_marker(self) -> None:
        import time

        from db.connection import hostname
        from db.models import database
        from db.roster import change_marker, changed_by_others
        from db.storage import change_counter

        # every commit bumps the change counter in the file's header: reading
        # those 100 bytes takes no lock, so an unchanged counter skips opening
        # a connection (and the share's locks); still look properly now and then.
        # On a server, a LISTENing connection counts the commits' notifications.
        if self.settings.on_server:
            if self._listener is None:
                from db.server import Listener

                self._listener = Listener(self.settings.db_path)
            stamp = self._listener.stamp()
        else:
            stamp = change_counter(self.db_path)
        if stamp is None:  # the share is out of reach: nothing to look at now
            return
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
            self.call_from_thread(self._others_wrote)
        else:  # only our own saves, already applied row by row
            self._marker = marker

    @work(thread=True, exclusive=True, group="open-case", exit_on_error=False)
    def open_case(self, opener, student_id: int) -> None:
        """Load the case first, then show its screen complete in one frame."""
        from db.cases import load_case
        from db.models import database

        from db.access import sees_student

        with database.connection_context():
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
        screen = self.get_screen("case")
        screen.prepare(student_id, view)
        self.push_screen(screen)

    def _others_wrote(self) -> None:
        """Another workstation (or the outbox) saved: reload the roster, let open
        screens catch up."""
        self.load_roster()
        self._tell_screens("others_wrote")

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
        if self._all is None:
            return
        for row in rows:
            self._all.upsert(row)
        self._show_index()
        self._tell_screens("roster_changed")

    def _show_index(self) -> None:
        """The roster as the person signed in may see it (db.access): all of it
        for leaders and counsellors, else their classes and their cases."""
        if self._all is None or self.scope is None:
            self.index = None
        else:
            self.index = self._all.restricted_to(self.scope)

    # -- the outbox, drafts, the lock, backups --------------------------------
    def _show_who(self) -> None:
        if self.staff is None:
            self.sub_title = t("app.waiting", n=self.waiting) if self.waiting else ""
            return
        waiting = f" · {t('app.waiting', n=self.waiting)}" if self.waiting else ""
        self.sub_title = f"{self.staff.name}{waiting}"

    def count_waiting(self) -> None:
        """Before sign-in, every waiting file here (a number, nothing more); then
        the signed-in person's own (others' wait for their author's sign-in)."""
        from db.local import outbox_count

        try:
            self.waiting = outbox_count(self.db_path,
                                        None if self.staff is None else self.staff.id)
        except OSError:
            self.waiting = 0
        self._show_who()

    def entry_queued(self) -> None:
        """A save went to the outbox: show the count, look at the lock."""
        self.count_waiting()
        self.check_stale_lock()

    def flush_outbox(self) -> None:
        """Every OUTBOX_SECONDS and when the file is back: write the waiting
        entries of the person signed in, as them, only those their key proves
        (``db.contacts.flush_outbox``); nobody signed in, nothing is written."""
        if self.staff is None or not self.db_ready:
            return
        self.count_waiting()  # a file may have been put here meanwhile
        if self.waiting:
            self._flush_outbox(self.staff)

    @work(thread=True, exclusive=True, group="outbox", exit_on_error=False)
    def _flush_outbox(self, reader) -> None:
        from db.contacts import flush_outbox
        from db.models import database

        try:
            with database.connection_context():
                result = flush_outbox(self.db_path, reader)
        except Exception:  # noqa: BLE001 - still unreachable: try again later
            result = None
        self.call_from_thread(self._flushed, result)

    def _flushed(self, result) -> None:
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
            self._others_wrote()  # the roster and any open case show them now
        if result.problems and len(result.problems) != self._outbox_problems:
            # told once per change, not every 10 s
            self.notify(t("app.outbox_problem", n=len(result.problems)), severity="error",
                        timeout=10, markup=False)
        self._outbox_problems = len(result.problems)

    def check_stale_lock(self) -> None:
        """Ask (once per lock) whether to remove a dot-file lock a crashed client left."""
        if self.settings.locking == "dotfile":
            self._look_at_lock()

    @work(thread=True, exclusive=True, group="lock", exit_on_error=False)
    def _look_at_lock(self) -> None:
        # on the share a stat can hang: never on the UI thread
        from db.connection import lock_dir, stale_lock_age

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
        from db.connection import UNLOCK_WATCH_SECONDS, LockHeld, remove_lock, stale_lock_age

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

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def daily_backup(self) -> None:
        """The first start of a day makes that day's backup (quietly, between writes)."""
        from db import storage

        if self.settings.on_server:  # the server's own backups (pg_dump) do that
            return
        try:
            if not storage.backup_due(self.db_path, clock.today()):
                return
            storage.backup(self.db_path, self.settings.locking, keep=self.settings.backups,
                           now=clock.now())
        except Exception as exc:  # noqa: BLE001 - told, never fatal
            from tui.cli_share import backup_reason

            self.call_from_thread(self.notify, t("app.backup_failed", detail=backup_reason(exc)),
                                  severity="warning", timeout=8, markup=False)

    def offer_drafts(self) -> None:
        """After sign-in: forms this person left unsaved (crash, closed terminal)."""
        from db.local import drafts

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

    # -- F1 help, the keymap, the theme ---------------------------------------------
    def action_help(self) -> None:
        """F1: every key of the screen on top, by name (F1 again or Esc closes it)."""
        from screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen(self.screen))

    def get_key_display(self, binding: Binding) -> str:
        """Keys as the keyboard labels them: function keys as F1…F12."""
        shown = super().get_key_display(binding)
        if not binding.key_display and len(shown) in (2, 3) and shown[0] == "f" \
                and shown[1:].isdigit():
            return shown.upper()
        return shown

    def apply_theme(self) -> None:
        """``theme = "..."`` in config.toml; one that does not exist is named, not used."""
        from tui.keymap import check_theme

        theme = getattr(self.settings, "theme", "")
        problem = check_theme(theme, self.available_themes)
        if problem:
            self.notify(problem, severity="warning", timeout=20, markup=False)
        elif theme:
            self.theme = theme

    def apply_keymap(self) -> None:
        """``[keymap]`` in config.toml: the good entries rebind their keys (the
        footer, F1 and ctrl+p show the new ones); each bad one is named and left out."""
        from tui.keymap import check_keymap

        checked = check_keymap(self.settings.keymap, app_class=type(self))
        if checked.keymap:
            self.set_keymap(checked.keymap)
        if checked.problems:
            self.notify("\n".join(checked.problems), title=t("keymap.title"),
                        severity="warning", timeout=30, markup=False)
