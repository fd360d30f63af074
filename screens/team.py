"""A case's team: who works on it and as what.  In the list: a adds someone
(type a name or pinyin, Enter, then the role by letter), p pairs a student as
peer helper (生帮生; type a name, pinyin or class), o adds an outside helper
without an account (a village cadre, a volunteer: screens/outside_helper.py,
listed last; volunteers do not see their phones), r changes the highlighted
person's role (by letter: l lead, t subject tutor, c counsellor, v volunteer),
x takes them off the case."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Header, Input, OptionList
from textual.widgets.option_list import Option

from db.store.connected import connected
from db.staff_view import filter_staff
from db.text import one_line
from db.vocab import ASSIGNMENT_ROLES
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, LetterChoice, PlainStatic, TableList

WIDTHS = [12, 16, 10]  # name, role, since
# one letter per role on a case (db.vocab.ASSIGNMENT_ROLES)
ROLE_KEYS = {"l": "lead", "t": "tutor", "c": "counsellor", "v": "volunteer"}
# the role someone joins a case in, by their staff role (a volunteer as a volunteer)
JOINS_AS = {"volunteer": "volunteer", "counsellor": "counsellor"}


def joins_as(staff_role: str) -> str:
    return JOINS_AS.get(staff_role, "tutor")


class RolePicker(LetterChoice):
    """The role by letter: a letter picks it and saves at once, Enter saves the
    one shown (the fitting one for someone new, the current one on r), Esc cancels."""

    BINDINGS = [Binding("enter", "screen.role_picked", "key.team_role_pick",
                        id="team_role_pick")]

    def on_key(self, event) -> None:
        if event.key in self.keys:
            event.stop()
            event.prevent_default()
            self.value = self.keys[event.key]
            self.screen.action_role_picked()


class TeamScreen(BangfuScreen[bool]):
    DEFAULT_CSS = """
    #team-role-row { height: 1; }
    #team-role-row .label { width: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("a", "add", "key.team_add", id="team_add"),
        Binding("p", "add_peer", "key.peer_add", id="peer_add"),
        Binding("o", "add_outside", "key.team_outside", id="team_outside"),
        Binding("r", "role", "key.team_role", id="team_role"),
        Binding("x", "remove", "key.team_remove", id="team_remove"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self, case_id: int, student_name: str):
        super().__init__()
        self.case_id = case_id
        self.student_name = student_name
        self.members: list = []
        self.peers: list = []  # db.team.Peer, listed after the staff
        self.outside: list = []  # db.outside_helpers.Helper, listed last
        self.staff: list = []
        self.adding_peer = False
        self.shown: list = []
        self.changed = False
        self.picking: int | None = None  # whose role is being picked (a staff id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="team-info", classes="info")
        yield PlainStatic("", id="team-header", classes="table-header")
        yield TableList(WIDTHS, id="team-table")
        yield Input(placeholder=t("team.add_placeholder"), id="team-add", compact=True)
        yield OptionList(id="team-suggestions", compact=True)
        with Horizontal(id="team-role-row"):
            yield PlainStatic("", id="team-role-label", classes="label")
            yield RolePicker(ROLE_KEYS, "role", "tutor", id="team-role")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        self.title = t("team.title")
        self.query_one("#team-add").display = False
        self.query_one("#team-suggestions").display = False
        self.query_one("#team-role-row").display = False
        self.table.focus()
        # r applies to staff only: the footer follows the cursor
        self.watch(self.table, "cursor", lambda _: self.refresh_bindings(), init=False)
        self.load()

    @work(thread=True, exclusive=True, group="team", exit_on_error=False)
    def load(self) -> None:
        from db.staff import list_staff
        from db.outside_helpers import helpers_of_case
        from db.team import members, peers

        with connected():
            found = members(self.case_id)
            paired = peers(self.case_id)
            outside = helpers_of_case(self.app.staff, self.case_id)
            staff = self.staff or list_staff()
        self.app.call_from_thread(self._loaded, found, staff, paired, outside)

    def _loaded(self, found, staff, paired=(), outside=()) -> None:
        self.members, self.staff, self.peers = found, staff, list(paired)
        self.outside = list(outside)
        self.query_one(InfoLine).show(t("team.info", name=one_line(self.student_name),
                                        n=len(found) + len(self.peers) + len(self.outside)))
        table = self.table
        self.query_one("#team-header", PlainStatic).update(table.line(
            [t("team.col.name"), t("team.col.role"), t("team.col.since")],
            table.size.width or self.app.size.width))
        table.set_rows([[one_line(m.name), label("role", m.role),
                         f"{m.since:%Y-%m-%d}" if m.since else ""] for m in found]
                       + [[one_line(p.name), t("team.peer"),
                           " · ".join(x for x in (f"{p.since:%Y-%m-%d}" if p.since else "",
                                                  one_line(p.class_name), one_line(p.focus)) if x)]
                          for p in self.peers]
                       + [[one_line(h.name), t("team.outside", role=one_line(h.role) or "—"),
                           " · ".join(x for x in (f"{h.since:%Y-%m-%d}" if h.since else "",
                                                  one_line(h.organisation), one_line(h.phone))
                                      if x)]
                          for h in self.outside])

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "role":
            return self.focused is self.table and self._current() is not None
        if action == "remove":
            return self.focused is self.table and (
                self._current() or self._current_peer() or self._current_outside()) is not None
        if action in ("add", "add_peer", "add_outside"):
            return self.focused is self.table
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()
        if self.picking is not None and not isinstance(self.focused, RolePicker):
            self.picking = None  # left without a letter (Tab): nothing changes
            self.query_one("#team-role-row").display = False

    def _current(self):
        cursor = self.table.cursor
        return self.members[cursor] if cursor < len(self.members) else None

    def _current_peer(self):
        cursor = self.table.cursor - len(self.members)
        return self.peers[cursor] if 0 <= cursor < len(self.peers) else None

    def _current_outside(self):
        cursor = self.table.cursor - len(self.members) - len(self.peers)
        return self.outside[cursor] if 0 <= cursor < len(self.outside) else None

    # -- adding ------------------------------------------------------------------
    def action_add(self, peer: bool = False) -> None:
        self.adding_peer = peer
        field = self.query_one("#team-add", Input)
        field.placeholder = t("team.peer_placeholder" if peer else "team.add_placeholder")
        field.display = True
        field.value = ""
        field.focus()

    def action_add_peer(self) -> None:
        self.action_add(peer=True)

    def action_add_outside(self) -> None:
        from screens.outside_helper import OutsideHelperFormScreen

        def back(saved: bool | None) -> None:
            if saved:
                self.changed = True
                self.load()

        self.app.push_screen(OutsideHelperFormScreen(self.case_id, self.student_name), back)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.adding_peer:
            index = self.app.index
            taken = {p.student_id for p in self.peers}
            self.shown = [] if index is None or not event.value.strip() else [
                r for r in index.search(event.value)[:20]
                if r.student_id not in taken and r.case_id != self.case_id][:6]
            lines = [f"{one_line(r.name)}  ·  {one_line(r.class_name)}  ·  {r.student_no}"
                     for r in self.shown]
        else:
            self.shown = [s for s in filter_staff(self.staff, event.value)
                          if s.id not in {m.staff_id for m in self.members}][:6]
            lines = [f"{one_line(s.name)}  ·  {label('staff_role', s.role)}" for s in self.shown]
        options = self.query_one("#team-suggestions", OptionList)
        options.set_options(Option(Text(line)) for line in lines)
        options.display = bool(self.shown and event.value.strip())
        if self.shown:
            options.highlighted = 0

    def on_key(self, event) -> None:
        if self.focused is not None and self.focused.id == "team-add":
            options = self.query_one("#team-suggestions", OptionList)
            if event.key in ("down", "up") and options.display:
                event.stop()
                current = options.highlighted or 0
                options.highlighted = max(0, min(len(self.shown) - 1,
                                                 current + (1 if event.key == "down" else -1)))
            elif event.key == "escape":
                event.stop()
                self._close_add()
        elif self.picking is not None and event.key == "escape":
            event.stop()
            self._close_role()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        options = self.query_one("#team-suggestions", OptionList)
        if options.display and self.shown:
            chosen = self.shown[options.highlighted or 0]
            if self.adding_peer:
                self.save("pair", chosen.student_id, "")
                self._close_add()
            else:  # then the role, by letter
                self._close_add(focus=False)
                self._pick_role(chosen.id, one_line(chosen.name), joins_as(chosen.role))

    def _close_add(self, focus: bool = True) -> None:
        self.query_one("#team-add").display = False
        self.query_one("#team-suggestions").display = False
        if focus:
            self.table.focus()

    # -- the role, by letter -------------------------------------------------------
    def _pick_role(self, staff_id: int, name: str, role: str) -> None:
        self.picking = staff_id
        self.query_one("#team-role-label", PlainStatic).update(t("team.role_for", name=name))
        picker = self.query_one("#team-role", RolePicker)
        picker.value = role if role in ASSIGNMENT_ROLES else "tutor"
        self.query_one("#team-role-row").display = True
        picker.focus()

    def action_role_picked(self) -> None:
        if self.picking is not None:
            self.save("assign", self.picking, self.query_one("#team-role", RolePicker).value)
        self._close_role()

    def _close_role(self) -> None:
        self.picking = None
        self.query_one("#team-role-row").display = False
        self.table.focus()

    # -- changing ----------------------------------------------------------------
    def action_role(self) -> None:
        member = self._current()
        if member is not None:
            self._pick_role(member.staff_id, one_line(member.name), member.role)

    def action_remove(self) -> None:
        member, peer, outside = self._current(), self._current_peer(), self._current_outside()
        if member is not None:
            self.save("unassign", member.assignment_id, "")
        elif peer is not None:
            self.save("unpair", peer.pair_id, "")
        elif outside is not None:
            self.save("outside", outside.id, "")

    @work(thread=True, exclusive=True, group="team-save", exit_on_error=False)
    def save(self, what: str, ident: int, role: str) -> None:
        from db.access import NotAllowed
        from db.outside_helpers import remove_helper
        from db.team import TeamError, assign, pair, unassign, unpair

        try:
            with connected():
                if what == "outside":
                    remove_helper(self.app.staff, ident)
                elif what == "assign":
                    assign(self.app.staff, self.case_id, ident, role)
                elif what == "pair":
                    pair(self.app.staff, self.case_id, ident)
                elif what == "unpair":
                    unpair(self.app.staff, ident)
                else:
                    unassign(self.app.staff, ident)
        except TeamError as exc:
            self.app.call_from_thread(self.notify, t(f"team.error.{exc.code}"),
                                      severity="warning", markup=False)
            return
        except NotAllowed as exc:
            self.app.call_from_thread(self.notify, t(f"err.access.{exc.code}"),
                                      severity="warning", markup=False)
            return
        self.changed = True
        self.app.call_from_thread(self.load)

    def action_back(self) -> None:
        self.dismiss(self.changed)
