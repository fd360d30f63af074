"""80x24 layout: CJK names stay aligned in the roster's columns."""

from __future__ import annotations

from rich.cells import cell_len

from tests.helpers import make_app, sign_in
from tui.widgets import RosterColumns, fit


def test_fit_counts_terminal_cells_not_characters():
    assert cell_len(fit("欧阳娜娜", 6)) == 6
    assert fit("欧阳娜娜", 6).endswith("…")
    assert cell_len(fit("张伟", 10)) == 10
    assert cell_len(fit("abc", 2)) == 2


async def test_roster_columns_line_up_with_chinese_and_latin_names(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        roster = app.screen.roster
        lines = [roster.render_line(y).text for y in range(len(roster.rows))]
        columns = RosterColumns(roster.size.width)
        class_start = 1 + columns.widths[0] + 1
        for line, row in zip(lines, roster.rows):
            assert cell_len(line) == roster.size.width
            # the class column starts at the same terminal cell on every line
            prefix = ""
            for ch in line:
                if cell_len(prefix) >= class_start:
                    break
                prefix += ch
            assert cell_len(prefix) == class_start
            assert line[len(prefix):].startswith(row.class_name[:3]), (line, row.class_name)


async def test_moving_the_cursor_past_the_bottom_scrolls_the_list(school):
    from db.students import create_student

    for i in range(5):  # more students than the list shows at 80x20 (the smallest height)
        create_student(None, student_no=f"2024090{i}", name=f"钱{'一二三四五'[i]}")
    app = make_app(school.path)
    async with app.run_test(size=(80, 20)) as pilot:
        await sign_in(pilot, "wangfang")
        roster = app.screen.roster
        visible = roster.size.height
        assert 0 < visible < len(roster.rows)
        for _ in range(len(roster.rows) - 1):
            await pilot.press("down")
        await pilot.pause()
        assert roster.cursor == len(roster.rows) - 1
        assert roster.scroll_offset.y == len(roster.rows) - visible
        last = roster.render_line(visible - 1).text
        assert roster.rows[-1].name in last
        await pilot.press(*"zw")  # a new search starts at the top again
        await pilot.pause()
        assert roster.cursor == 0 and roster.scroll_offset.y == 0


async def test_a_line_cached_for_a_freed_row_is_not_shown_for_a_new_one(school):
    from dataclasses import replace

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "wangfang")
        roster = app.screen.roster
        old = roster.rows[0]
        renamed = replace(old, name="钱文")
        # as if the reloaded row had been given the freed row's id
        roster._lines[id(renamed)] = (old, "stale line for " + old.name)
        roster.set_rows([renamed])
        assert "钱文" in roster.render_line(0).text
