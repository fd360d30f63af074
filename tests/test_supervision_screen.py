"""The supervision screen (督导赋分) by keyboard: the same figures as
``db.supervision.supervision`` and as the report's file
(``tui.report_supervision.supervision_sheets``), the period key, a helper's
points, an adjustment typed and saved (audited, changing the score), the
export, and the refusal of anyone who does not supervise."""

from __future__ import annotations

import datetime as dt

from db.models import AuditLog, Assignment, Case, SupervisionNote
from db.supervision import period_bounds, supervision
from db.workflow import load_rules
from tests.conftest import TODAY
from tests.helpers import make_app, settle, sign_in
from tui.report_supervision import supervision_sheets

SEP1 = dt.date(2026, 9, 1)


def backdate(school) -> None:
    """李建国's two cases his since 1 September: November asks for his entries,
    and he wrote none (a score of 0)."""
    cases = [school.cases["赵薇"].id, school.cases["[bold]王[/"].id]
    Case.update(opened_on=SEP1).where(Case.id.in_(cases)).execute()
    Assignment.update(assigned_on=SEP1).where(Assignment.case.in_(cases)).execute()


async def _open(pilot, who="wangfang"):
    from screens.supervision import SupervisionScreen

    await sign_in(pilot, who)
    screen = SupervisionScreen()
    pilot.app.push_screen(screen)
    await settle(pilot)
    return screen


async def test_the_screen_shows_the_figures_of_supervision_and_of_the_file(school):
    backdate(school)
    report = supervision(TODAY, reader=school.teacher, month="2026-11")
    sheets = supervision_sheets(report, load_rules())
    _, header, cells = sheets[1]  # the helpers
    li = next(h for h in report.helpers if h.staff_id == school.other.id)
    assert li.score == 0 and li.items > 0 and li in report.below
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.report.month == "2026-11"
        rows = screen.table.rows
        assert [r[0] for r in rows] == [h.name for h in report.helpers]
        for h, row, cell in zip(report.helpers, rows, cells):
            # name, role, grades, cases, rules met, entries, overdue, score: the file's cells
            assert row[:8] == [cell[c] for c in (0, 1, 2, 3, 4, 5, 8, 12)]
            assert row[3] == str(h.cases) and row[4] == f"{h.items_met}/{h.items}"
            assert row[7] == (str(h.score) if h.score is not None else cell[12])
        li_row = rows[report.helpers.index(li)]
        assert li_row[8].startswith("notice") and screen.table.row_styles[
            report.helpers.index(li)] == "bold red"
        # Enter: where each of li's points came from, as the file's points sheet has them
        screen.table.cursor = report.helpers.index(li)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.view == "points"
        first = sum(len(h.points) for h in report.helpers[:report.helpers.index(li)])
        mine = sheets[5][2][first:first + len(li.points)]
        assert [r[0] for r in mine] == ["李建国"] * len(li.points)
        shown = screen.table.rows
        assert [r[:3] for r in shown] == [r[1:4] for r in mine]  # what, student, rule
        for got, cell, point in zip(shown, mine, li.points):
            if point.required:  # done/asked; earned/possible
                assert got[3] == f"{cell[4]}/{cell[5]}" == f"{point.done}/{point.required}"
            assert got[4].split("/")[0] == cell[6]
        assert any(p.possible and not p.earned for p in li.points)
        await pilot.press("escape")
        await settle(pilot)
        assert screen.view == "list" and screen.table.cursor == report.helpers.index(li)
        # g: by grade, the file's grades sheet
        await pilot.press("g")
        await settle(pilot)
        assert screen.table.rows == sheets[2][2]


async def test_the_period_key_and_the_months(school):
    from screens.supervision import SupervisionScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert isinstance(app.screen, SupervisionScreen)
        seen = []
        for _ in range(5):
            await pilot.press("p")
            await settle(pilot)
            seen.append((screen.report.period, screen.report.start))
        assert seen == [(p, period_bounds(p, TODAY)[0]) for p in
                        ("last_month", "term", "week", "half_month", "month")]
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert (screen.report.month, screen.report.start, screen.report.end) == (
            "2026-10", dt.date(2026, 10, 1), dt.date(2026, 10, 31))
        await pilot.press("right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert screen.report.month == "2026-11"  # never a month still to come


async def test_an_adjustment_typed_is_saved_audited_and_changes_the_score(school):
    from screens.supervision_adjust import AdjustmentScreen

    backdate(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        li = [h.staff_id for h in screen.report.helpers].index(school.other.id)
        screen.table.cursor = li
        before = screen.report.helpers[li]
        assert before.score == 0 and before.adjustment == 0
        raw = round(100 * before.earned / before.possible)  # below 0: overdue items
        await pilot.press("j")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AdjustmentScreen)
        await pilot.press("ctrl+u", *"x", "ctrl+s")
        await settle(pilot)
        assert app.screen is form and "-100" in str(form.query_one("#adjust-error").render())
        await pilot.press("ctrl+u", *"60", "tab", *"Talked it through", "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        row = screen.report.helpers[li]
        assert (row.adjustment, row.score, row.note) == (60, raw + 60, "Talked it through")
        assert row.score > 0
        assert screen.table.rows[li][7] == str(raw + 60) and "+60" in screen.table.rows[li][8]
        fresh = supervision(TODAY, reader=school.teacher, month="2026-11")
        assert fresh.helpers[li].score == row.score
    [note] = SupervisionNote.select()
    assert (note.staff_id, note.month, note.adjustment, note.author_id) == (
        school.other.id, "2026-11", 60, school.teacher.id)
    assert AuditLog.select().where(AuditLog.table_name == "supervision_note",
                                   AuditLog.action == "insert").count() == 1


async def test_e_writes_the_file_of_the_command_line(school, tmp_path, monkeypatch):
    monkeypatch.setenv("BANGFU_EXPORT_DIR", str(tmp_path))
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot)
        await pilot.press("e")
        await settle(pilot)
    [written] = list(tmp_path.glob("*.xlsx"))
    from openpyxl import load_workbook

    book = load_workbook(written)
    assert len(book.sheetnames) == 6


async def test_a_teacher_is_refused(school):
    from screens.supervision import SupervisionScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "lijianguo")
        assert not isinstance(app.screen, SupervisionScreen)
        assert screen.report is None
        assert any("administrators and coordinators" in str(n.message)
                   for n in app._notifications)
