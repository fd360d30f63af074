"""Roster search: one input, results as you type, from the in-memory index."""

from __future__ import annotations

from importlib import import_module

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Input

from db.store.connected import connected
from db.search import STATUS_FILTERS, RosterRow
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import CaseloadList, InfoLine, KeyFooter, PlainStatic, RosterList

# caseload items that are not a case's entries, and the screen that opens each
# (module, class, the item's field passed to it); the screen dismisses truthy when saved
ITEM_SCREENS = {"feedback": ("screens.feedback_form", "FeedbackFormScreen", "feedback_id"),
                "referral": ("screens.referral_form", "ReferralFormScreen", "referral_id"),
                "correction": ("screens.correction_form", "CorrectionFormScreen",
                               "correction_id"),
                "transformation": ("screens.transformation", "TransformationScreen",
                                   "transformation_id")}


def status_name(code: str) -> str:
    return t(f"status.{code}") if code in ("all", "open", "none") else label("status", code)


class SearchInput(Input):
    """Enter opens the highlighted student (after every key typed before it).

    The search runs in the value's watcher, synchronously, so the typed letter
    and its results reach the terminal in the same frame (a Changed message
    would arrive a frame later).
    """

    BINDINGS = [Binding("enter", "submit", "key.open", id="open_from_search")]

    def type_letter(self, character: str) -> None:
        """A letter typed while a list had the focus: the search takes it, and
        the focus that follows does not select it (the next letter would
        replace it: "zhao" typed in the caseload searched for "hao")."""
        self.select_on_focus = False  # until the focus leaves again
        self.focus()
        self.insert_text_at_cursor(character)

    def _on_blur(self, event) -> None:  # (Input's own handler runs as well)
        self.select_on_focus = True

    def watch_value(self, value: str) -> None:
        if self.is_mounted and isinstance(self.screen, RosterScreen):
            self.screen.run_search()


class RosterResults(RosterList):
    """The result list; with focus on it, single letters act (n, m, s, /)."""

    BINDINGS = [
        Binding("n", "screen.log_letter", "key.log", id="log_letter"),
        Binding("m", "screen.mine_letter", "key.mine", id="mine_letter"),
        Binding("s", "screen.status_letter", "key.status", id="status_letter"),
        Binding("slash", "screen.focus_search", "key.search", id="search"),
        Binding("y", "screen.copy", "key.copy_phone", id="copy_letter"),
    ]


class RosterScreen(BangfuScreen):
    BINDINGS = [
        Binding("enter", "open", "key.open", id="open"),
        Binding("ctrl+n", "log", "key.log", id="log"),
        Binding("ctrl+o", "toggle_mine", "key.mine", id="mine"),
        Binding("ctrl+f", "cycle_status", "key.status", id="status"),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("ctrl+r", "reload", "key.reload", id="reload", show=False),
        Binding("f2", "switch_user", "key.switch_user", id="switch_user", show=False),
        # leaders' keys: in the command palette (ctrl+p) and the README, not the footer
        Binding("f3", "overview", "key.overview", id="overview", show=False),
        Binding("ctrl+t", "meeting", "key.meeting", id="meeting"),
        Binding("f4", "review", "key.review", id="review", show=False),
        Binding("f5", "scores", "key.scores", id="scores", show=False),
        Binding("f6", "checkins", "key.checkins", id="checkins", show=False),
        Binding("f7", "report", "key.report", id="report", show=False),
        Binding("f8", "audit", "key.audit", id="audit", show=False),
        Binding("f9", "staff", "key.staff", id="staff", show=False),
        # the roster itself (issue 7): in the palette and the README
        Binding("ctrl+l", "open_new_case", "key.open_new_case", id="open_new_case", show=False),
        Binding("ctrl+b", "new_student", "key.new_student", id="new_student", show=False),
        Binding("f10", "import_roster", "key.import_roster", id="import_roster", show=False),
        Binding("f11", "intake", "key.intake", id="intake", show=False),
        Binding("f12", "export", "key.export", id="export", show=False),
        Binding("ctrl+g", "families", "key.families", id="families", show=False),
        # the highlighted student's family phone to the clipboard (OSC 52): in the
        # palette and the README (in the list: y, shown)
        Binding("ctrl+y", "copy", "key.copy_phone", id="copy_phone", show=False),
    ]

    def __init__(self):
        super().__init__()
        self.mine = False
        self.status = "all"
        self._searched_for: str | None = None
        self._suggestion: str | None = None  # "did you mean", when nobody matches
        self._roster: RosterList | None = None  # looked up once: used on every key
        self._input: Input | None = None
        self._info: InfoLine | None = None
        self._caseload: CaseloadList | None = None
        self._caseload_shown: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        # above the search: shift+tab reaches it, tab still goes into the roster
        yield CaseloadList(self.app.today, id="caseload")
        yield SearchInput(placeholder=t("roster.placeholder"), id="query")
        yield InfoLine(id="roster-info", classes="info")
        yield PlainStatic("", id="roster-header", classes="table-header")
        yield RosterResults(self.app.today, id="roster")
        yield KeyFooter()

    @property
    def roster(self) -> RosterList:
        if self._roster is None:
            self._roster = self.query_one(RosterList)
        return self._roster

    @property
    def search_input(self) -> Input:
        if self._input is None:
            self._input = self.query_one("#query", Input)
        return self._input

    @property
    def caseload(self) -> CaseloadList:
        if self._caseload is None:
            self._caseload = self.query_one(CaseloadList)
        return self._caseload

    def on_mount(self) -> None:
        self.search_input.focus()
        self.roster_changed()
        # once on screen (not before: the switch from sign-in would replace it)
        self.call_after_refresh(self.app.offer_drafts)

    def on_resize(self) -> None:
        self.caseload.refresh(layout=True)  # how many items fit depends on the height

    def on_roster_list_columns_changed(self, message: RosterList.ColumnsChanged) -> None:
        # the rows' own columns: the titles start where the rows' cells do
        self.query_one("#roster-header", PlainStatic).update(message.columns.header())

    # -- My caseload: shown above the roster while nothing is typed -------------
    def _show_caseload(self, shown: bool) -> None:
        if shown != self._caseload_shown:  # only when it changes: not on every key
            self._caseload_shown = shown
            self.caseload.display = shown

    def database_ready(self) -> None:
        self.load_caseload()

    @work(thread=True, exclusive=True, group="caseload", exit_on_error=False)
    def load_caseload(self) -> None:
        from db import clock
        from db.team import recently_assigned
        from db.terms import to_review
        from db.caseload import with_extras
        from db.workflow import due_items, load_rules, my_cases

        staff = self.app.staff
        if staff is None:
            return
        with connected():
            cases = my_cases(staff.id)
            rules = load_rules()
            items = with_extras(due_items(cases, clock.today(), rules=rules), staff.id,
                                clock.today())
            _, review = to_review(staff.id)
            new = recently_assigned(staff.id)
        self.app.call_from_thread(self.caseload.set_items, items, self.app.today, len(cases),
                                  len(review), new, rules)

    def action_log_due(self) -> None:
        """Log the missing entry for the highlighted item, its kind prefilled."""
        item = self.caseload.current
        if item is None:
            return
        if item.what in ITEM_SCREENS:  # a feedback, referral, correction …: not an entry
            self.open_item(item)
            return
        if item.what == "review":  # not an entry: the stage review form
            from screens.stage_review import StageReviewScreen

            self.app.push_screen(StageReviewScreen(item.case_id, item.name),
                                 lambda saved: saved and self.load_caseload())
            return
        from screens.contact import ContactScreen

        self.app.push_screen(ContactScreen(student_id=item.student_id, kind=item.kind,
                                           channel=item.channel))

    def open_item(self, item) -> None:
        """Open a caseload item that is not a case's entry on its own screen."""
        module, name, field = ITEM_SCREENS[item.what]
        screen = getattr(import_module(module), name)(getattr(item, field))
        self.app.push_screen(screen, lambda saved: saved and self.load_caseload())

    def action_follow_up_done(self) -> None:
        item = self.caseload.current
        if item is None:
            return
        if item.what != "follow_up" or item.contact_id is None:
            self.notify(t("caseload.not_follow_up"), severity="warning", markup=False)
            return
        self.mark_done(item.contact_id)

    @work(thread=True, exclusive=True, group="follow-up", exit_on_error=False)
    def mark_done(self, contact_id: int) -> None:
        from db.workflow import FollowUpGone, mark_follow_up_done

        try:
            with connected():
                mark_follow_up_done(self.app.staff, contact_id)
        except FollowUpGone:
            self.app.call_from_thread(self.notify, t("caseload.gone"), severity="warning",
                                      markup=False)
        else:
            self.app.call_from_thread(self.notify, t("caseload.done"), timeout=2, markup=False)
        self.app.call_from_thread(self.load_caseload)

    def rules_changed(self) -> None:
        """The school's rules changed (screens/rules.py): count My caseload again."""
        if self.app.staff is not None and self.app.db_ready:
            self.load_caseload()

    def roster_changed(self) -> None:
        """The app's index was (re)loaded: search again, keep the cursor on the student."""
        if self.app.staff is not None and self.app.db_ready:
            self.load_caseload()
        keep = self.roster.current
        self.run_search()
        if keep is not None:
            for i, row in enumerate(self.roster.rows):
                if row.student_id == keep.student_id:
                    self.roster.cursor = i
                    break

    def run_search(self) -> None:
        index = self.app.index
        if self._info is None:
            self._info = self.query_one("#roster-info", InfoLine)
        info = self._info
        if index is None:
            info.show(t("roster.loading"))
            return
        staff_id = self.app.staff.id if (self.mine and self.app.staff) else None
        self._searched_for = self.search_input.value
        # shown only until a filter is chosen: hiding it on the first typed key
        # would re-lay the whole screen in that keystroke (measured: +15% per key)
        self._show_caseload(self.status == "all" and not self.mine)
        rows = index.search(self._searched_for, status=self.status, staff_id=staff_id)
        self.roster.set_rows(rows)
        scope = t("roster.scope.mine" if self.mine else "roster.scope.all")
        text = t("roster.filter", scope=scope, status=status_name(self.status))
        count = t("roster.count", shown=len(rows), total=len(index))
        empty = ""
        self._suggestion = None
        if not rows:  # a swapped-letter typo: what it may have meant (Enter searches it)
            self._suggestion = index.suggest(self._searched_for, status=self.status,
                                             staff_id=staff_id)
            if self._suggestion:  # (the filters left out: the line holds 80 columns)
                info.show(f"{count} · {t('roster.did_you_mean', query=self._suggestion)}")
                return
            empty = f" · {t('roster.empty')}"
        info.show(f"{text} · {count}{empty}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    ABILITY = {"overview": "overview", "review": "edit_case", "scores": "grid",
               "checkins": "grid", "report": "reports", "staff": "manage", "audit": "audit",
               "open_new_case": "edit_case", "new_student": "manage",
               "import_roster": "manage", "intake": "edit_case", "export": "reports",
               "families": "families"}

    def check_action(self, action: str, parameters) -> bool | None:
        from db.access import can

        if action in self.ABILITY and not can(self.app.staff, self.ABILITY[action]):
            return False  # not offered (nor in the palette) to a role without it
        # while the list has focus its single-letter keys are shown instead
        if action in ("log", "toggle_mine", "cycle_status") and self.focused is self.roster:
            return False
        if action in ("log", "toggle_mine", "cycle_status") and self.focused is self.caseload:
            return False  # n does it there; the filters are the roster's
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_log_letter(self) -> None:
        self.action_log()

    def action_mine_letter(self) -> None:
        self.action_toggle_mine()

    def action_status_letter(self) -> None:
        self.action_cycle_status()

    def action_move(self, delta: int) -> None:
        if self.focused is self.caseload:
            self.caseload.move(delta)
        else:
            self.roster.move(delta)

    def action_page(self, direction: int) -> None:
        self.roster.action_page(direction)

    def action_focus_search(self) -> None:
        self.search_input.focus()

    def action_toggle_mine(self) -> None:
        self.mine = not self.mine
        self.run_search()

    def action_cycle_status(self) -> None:
        i = STATUS_FILTERS.index(self.status)
        self.status = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self.run_search()

    def action_reload(self) -> None:
        self.app.load_roster()

    def action_switch_user(self) -> None:
        self.app.action_switch_user()

    def _push(self, ability: str, module: str, name: str, *args) -> None:
        """Open the screen ``module.name(*args)`` if the signed-in role may (``db.access``)."""
        if self.app.allowed(ability):
            self.app.push_screen(getattr(import_module(module), name)(*args))

    def action_review(self) -> None:
        self._push("edit_case", "screens.review", "ReviewScreen")

    def action_scores(self) -> None:
        self._push("grid", "screens.scores", "ScoreGridScreen", "scores")

    def action_checkins(self) -> None:
        self._push("grid", "screens.scores", "ScoreGridScreen", "checkins")

    def action_report(self) -> None:
        self._push("reports", "screens.report", "ReportScreen")

    def action_audit(self) -> None:
        self.app.action_audit()

    def action_staff(self) -> None:
        self._push("manage", "screens.staff", "StaffScreen")

    def action_families(self) -> None:
        self._push("families", "screens.families", "FamiliesScreen")

    # -- the roster itself: students, cases, import, intake, export ----------------
    def action_new_student(self) -> None:
        self._push("manage", "screens.student", "StudentScreen")

    def action_open_new_case(self) -> None:
        """Open a case for the highlighted student (one without an open case)."""
        from db.vocab import OPEN_STATUSES
        from screens.case_status import CaseStatusScreen

        row = self._current()
        if row is None or not self.app.allowed("edit_case"):
            return
        if row.status in OPEN_STATUSES:
            self.notify(t("case_status.has_open", name=one_line(row.name)),
                        severity="warning", markup=False)
            return
        lead = one_line(self.app.staff.name) if self.app.staff else ""
        self.app.push_screen(CaseStatusScreen(row.student_id, row.name, lead=lead))

    def action_import_roster(self) -> None:
        self._push("manage", "screens.import_roster", "ImportScreen")

    def action_intake(self) -> None:
        self._push("edit_case", "screens.intake", "IntakeScreen")

    def action_export(self) -> None:
        self._push("reports", "screens.export", "ExportScreen")

    def action_meeting(self) -> None:
        from screens.meeting import MeetingScreen

        self.app.push_screen(MeetingScreen())

    def action_overview(self) -> None:
        if self.app.allowed("overview"):
            self.count_overview()

    @work(thread=True, exclusive=True, group="overview", exit_on_error=False)
    def count_overview(self) -> None:
        """Count first, then show the overview complete in one frame (like a case):
        no half-empty screen competing with the count for the interpreter."""
        from db import clock
        from db.overview import overview

        with connected():
            data = overview(clock.today(), reader=self.app.staff)
        self.app.call_from_thread(self._show_overview, data)

    def _show_overview(self, data) -> None:
        from screens.overview import OverviewScreen

        if self.app.screen is self:
            self.app.push_screen(OverviewScreen(data))

    def _current(self) -> RosterRow | None:
        if self.search_input.value != self._searched_for:  # keys outran Changed
            self.run_search()
        return self.roster.current

    def action_open(self) -> None:
        if self.focused is self.caseload:
            item = self.caseload.current
            if item is not None and item.what in ITEM_SCREENS:
                self.open_item(item)
            elif item is not None:
                self.app.open_case(self, item.student_id)
            return
        row = self._current()
        if row is not None:
            self.app.open_case(self, row.student_id)
        elif self._suggestion and self.focused is self.search_input:
            self.search_input.value = self._suggestion  # "did you mean": Enter takes it


    def action_copy(self) -> None:
        """The family phone of the highlighted student (of My caseload's item,
        when it has the focus), to the clipboard: as this person may see it."""
        if self.focused is self.caseload:
            item = self.caseload.current
            student_id = item.student_id if item is not None else None
        else:
            row = self._current()
            student_id = row.student_id if row is not None else None
        if student_id:  # (0: an anonymous family's feedback item)
            self.load_phone(student_id)

    @work(thread=True, exclusive=True, group="copy-phone", exit_on_error=False)
    def load_phone(self, student_id: int) -> None:
        from db.access import sees_student
        from db.cases import load_case
        from screens.case_text import copy_phone

        with connected():
            if not sees_student(self.app.staff, student_id):  # a stale row
                self.app.call_from_thread(self.app.not_allowed, "student")
                return
            view = load_case(student_id, reader=self.app.staff)
        if view is not None:
            self.app.call_from_thread(copy_phone, self.app, view)

    def action_log(self) -> None:
        row = self._current()
        if row is None:
            return
        if row.case_id is None:
            self.notify(t("form.no_case", name=one_line(row.name)), severity="warning", markup=False)
            return
        from screens.contact import ContactScreen

        self.app.push_screen(ContactScreen(student_id=row.student_id))

    def on_key(self, event) -> None:
        if self.focused is self.caseload and event.character and event.is_printable \
                and event.key not in ("n", "d", "slash", "y"):
            self.search_input.type_letter(event.character)
            event.stop()
            return
        # in the list, any other printable key goes back to typing the search
        if self.focused is self.roster and event.character and event.is_printable \
                and event.key not in ("n", "m", "s", "slash", "y"):
            self.search_input.type_letter(event.character)
            event.stop()
