"""The bangfu application shell: sign-in state, the roster index, freshness.

Screens live in ``screens/``; this module holds what they share: who is
signed in, the in-memory roster (loaded and refreshed in thread workers so
typing never waits on the share) and the command palette provider.
"""

from __future__ import annotations

from functools import partial

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.message import Message

from db import clock
from db.search import RosterIndex, RosterRow
from tui.i18n import t

FRESHNESS_SECONDS = 3.0


class ScreenActions(Provider):
    """Every key of the current screen, by its translated name, in ctrl+p."""

    def _actions(self):
        seen = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.description.startswith("key.") or binding.action in seen \
                    or not active.enabled:
                continue
            seen.add(binding.action)
            yield key, active.node, binding

    async def discover(self) -> Hits:
        for key, node, binding in self._actions():
            yield Hit(1, t(binding.description), partial(self._run, node, binding.action),
                      help=t("cmd.action.help", key=self.app.get_key_display(binding)))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for key, node, binding in self._actions():
            name = t(binding.description)
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name),
                          partial(self._run, node, binding.action),
                          help=t("cmd.action.help", key=self.app.get_key_display(binding)))

    async def _run(self, node, action: str) -> None:
        await self.app.run_action(action, node)


class BangfuApp(App):
    CSS_PATH = "bangfu.tcss"
    COMMANDS = {ScreenActions}
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
        self.database = database
        self.staff = None  # db.staff.StaffView once signed in
        self.index: RosterIndex | None = None
        self._marker: int | None = None
        self.title = t("app.title")

    @property
    def today(self):
        return clock.today()

    def on_mount(self) -> None:
        from screens.signin import SignInScreen

        self.push_screen(SignInScreen())
        # load the roster once the first screen is on the terminal, not before
        self.call_after_refresh(self.load_roster)
        self.set_interval(FRESHNESS_SECONDS, self.check_freshness)

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
        import gc

        gc.freeze()  # the roster lives for the whole session: keep it out of GC passes
        self.post_message(self.RosterLoaded(index, marker))

    def on_bangfu_app_roster_loaded(self, message: RosterLoaded) -> None:
        first = self.index is None
        self.index = message.index
        self._marker = message.marker
        for screen in self.screen_stack:
            if hasattr(screen, "roster_changed"):
                screen.roster_changed()
        if not first:
            self.notify(t("app.refreshed"), timeout=3)

    def check_freshness(self) -> None:
        if self.index is not None:
            self._check_marker()

    @work(thread=True, exclusive=True, group="freshness", exit_on_error=False)
    def _check_marker(self) -> None:
        from db.models import database
        from db.roster import change_marker

        from db.connection import hostname
        from db.roster import changed_by_others

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
        for screen in self.screen_stack:
            if hasattr(screen, "roster_changed"):
                screen.roster_changed()

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
