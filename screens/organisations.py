"""The organisations the school works with (合作机构): referrals and outside
helpers name one.  Active ones first; a (add), Enter (change) and x (take
off the choices: the referrals that name it keep it) for administrators,
coordinators and counsellors; everyone else reads the list."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from db.store.connected import connected
from db.text import one_line
from tui.i18n import label, t
from tui.screen_base import BangfuScreen
from tui.widgets import InfoLine, KeyFooter, PlainStatic, TableList

WIDTHS = [22, 22, 14, 8]  # name, kind, phone, active


class OrganisationsScreen(BangfuScreen[bool]):
    BINDINGS = [
        Binding("a", "add", "key.org_add", id="org_add"),
        Binding("enter", "edit", "key.org_edit", id="org_edit"),
        Binding("x", "deactivate", "key.org_deactivate", id="org_deactivate"),
        Binding("escape", "back", "key.back", id="back"),
    ]

    def __init__(self):
        super().__init__()
        self.rows: list = []
        self.manages = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield InfoLine(id="orgs-info", classes="info")
        yield PlainStatic("", id="orgs-header", classes="table-header")
        yield TableList(WIDTHS, id="orgs-table")
        yield KeyFooter()

    @property
    def table(self) -> TableList:
        return self.query_one(TableList)

    def on_mount(self) -> None:
        from db.organisations import may_manage

        self.title = t("orgs.title")
        self.manages = may_manage(self.app.staff)
        self.table.focus()
        self.load()

    @work(thread=True, exclusive=True, group="orgs", exit_on_error=False)
    def load(self) -> None:
        from db.organisations import list_organisations

        with connected():
            rows = list_organisations(self.app.staff)
        self.app.call_from_thread(self._loaded, rows)

    def _loaded(self, rows) -> None:
        self.rows = rows
        info = t("orgs.info", n=sum(1 for r in rows if r.active))
        if not self.manages:
            info = f"{info} · {t('orgs.read_only')}"
        self.query_one(InfoLine).show(info if rows else f"{info} · {t('orgs.none')}")
        table = self.table
        self.query_one("#orgs-header", PlainStatic).update(table.line(
            [t(f"orgs.col.{k}") for k in ("name", "kind", "phone", "active")],
            table.size.width or self.app.size.width))
        table.set_rows([[one_line(r.name), label("organisation", r.kind), one_line(r.phone),
                         t("orgs.active" if r.active else "orgs.inactive")] for r in rows],
                       ["" if r.active else "dim" for r in rows])
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "add":
            return self.manages
        if action in ("edit", "deactivate"):
            return self.manages and bool(self.rows)
        return True

    @property
    def current(self):
        i = self.table.cursor
        return self.rows[i] if 0 <= i < len(self.rows) else None

    def action_add(self) -> None:
        from screens.organisation_form import OrganisationFormScreen

        self.app.push_screen(OrganisationFormScreen(), self._back)

    def action_edit(self) -> None:
        row = self.current
        if row is None:
            return
        from screens.organisation_form import OrganisationFormScreen

        self.app.push_screen(OrganisationFormScreen(row), self._back)

    def _back(self, saved: bool | None) -> None:
        if saved:
            self.load()

    def action_deactivate(self) -> None:
        row = self.current
        if row is not None and row.active:
            self.deactivate(row.id, row.version)

    @work(thread=True, exclusive=True, group="orgs-save", exit_on_error=False)
    def deactivate(self, org_id: int, version: int) -> None:
        from db.access import NotAllowed
        from db.organisations import OrganisationConflict, OrganisationGone, deactivate

        try:
            with connected():
                deactivate(self.app.staff, org_id, version)
        except NotAllowed as exc:
            self.app.call_from_thread(self.notify, t(f"err.access.{exc.code}"),
                                      severity="warning", markup=False)
            return
        except (OrganisationConflict, OrganisationGone):
            self.app.call_from_thread(self.notify, t("orgs.conflict"), severity="warning",
                                      markup=False)
        self.app.call_from_thread(self.load)

    def others_wrote(self) -> None:
        self.load()

    def action_back(self) -> None:
        self.dismiss(False)
