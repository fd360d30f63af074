"""The class grid: a whole class's scores (or check-ins) typed by keyboard."""

from __future__ import annotations

import datetime as dt
import json

from db.models import Checkin, Score
from db.scores import save_scores, validate_sitting
from screens.scores import ScoreGridScreen
from tests.helpers import make_app, settle, sign_in, type_text
from tui.grid import EditGrid


async def open_grid(pilot, key: str = "f5"):
    await sign_in(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert isinstance(pilot.app.screen, ScoreGridScreen)
    return pilot.app.screen


async def fill_header(pilot, *values: str):
    """Type each header field (replacing its text) and Tab on; Enter loads."""
    for n, value in enumerate(values):
        await pilot.press("ctrl+u")  # the field's text away (Input: delete to start)
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, value)
        await pilot.press("tab" if n < len(values) - 1 else "enter")
    await settle(pilot)


async def test_a_whole_class_is_scored_by_keyboard_and_saved_once(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "7-1", "2026-11-10", "期中考试", "120", "语文,数学")
        grid = screen.query_one(EditGrid)
        assert grid.has_focus
        assert [r.cells[1] for r in grid.rows] == ["张伟", "赵薇", "曾小明"]
        # 语文 down the class, then 数学 down the class
        await type_text(pilot, "98")
        await pilot.press("enter")
        await type_text(pilot, "87.5")
        await pilot.press("enter")
        await type_text(pilot, "１０２")  # full-width digits, as a Chinese IME types them
        await pilot.press("right", "up", "up")
        await type_text(pilot, "77")
        await pilot.press("down", "down")
        await type_text(pilot, "61")
        await pilot.press("backspace", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        got = {(s.student.name, s.subject): (s.score, s.full_marks, s.exam, s.taken_on)
               for s in Score.select()}
        day = dt.date(2026, 11, 10)
        assert got == {("张伟", "语文"): (98, 120, "期中考试", day),
                       ("赵薇", "语文"): (87.5, 120, "期中考试", day),
                       ("曾小明", "语文"): (102, 120, "期中考试", day),
                       ("张伟", "数学"): (77, 120, "期中考试", day),
                       ("曾小明", "数学"): (62, 120, "期中考试", day)}
        assert not grid.changed()
        # saving again writes nothing new
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Score.select().count() == 5
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ScoreGridScreen)  # nothing unsaved: no question


async def test_stored_scores_come_back_and_a_correction_is_one_change(school):
    zhang = school.students["张伟"].id
    save_scores(school.teacher, validate_sitting("期中考试", "2026-11-10", "100", "语文,数学"),
                {(zhang, "数学"): "70", (zhang, "语文"): "80"})
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "七年级(1)班", "2026-11-10", "期中考试", "100", "语文,数学")
        grid = screen.query_one(EditGrid)
        assert grid.values[(zhang, "数学")] == "70" and grid.values[(zhang, "语文")] == "80"
        await pilot.press("right")
        await type_text(pilot, "75")  # replaces the 70
        await pilot.press("left", "delete")  # 语文 cleared: removed
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = {s.subject: (s.score, s.version) for s in Score.select()}
        assert rows == {"数学": (75, 2)}


async def test_a_score_above_full_marks_is_red_and_nothing_is_written(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "7-1", "2026-11-10", "期中考试", "100", "数学")
        grid = screen.query_one(EditGrid)
        await type_text(pilot, "88")
        await pilot.press("enter")
        await type_text(pilot, "110")
        await pilot.press("enter", "ctrl+s")
        await settle(pilot)
        assert Score.select().count() == 0
        assert grid.cursor == 1 and grid.current_error == "err.score.above_full"
        assert "Above full marks" in str(screen.query_one("#grid-error").render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ConfirmScreen"  # typed and unsaved: asks


async def test_an_unknown_class_is_named_at_the_field(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "9-9", "today", "期中考试", "100", "数学")
        assert screen.query_one("#grid-class").has_focus
        assert "No such class" in str(screen.query_one("#grid-error").render())
        assert not screen.query_one(EditGrid).rows


async def test_a_changed_date_is_loaded_before_a_save_can_write_to_it(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "7-1", "2026-11-10", "期中考试", "100", "数学")
        await type_text(pilot, "88")
        screen.query_one("#grid-date").value = "2026-11-11"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Score.select().count() == 0
        assert "press Enter in it" in str(screen.query_one("#grid-error").render())


async def test_check_ins_list_only_supported_students_and_save_ratings(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot, "f6")
        await fill_header(pilot, "8-2", "2026-11-18")
        grid = screen.query_one(EditGrid)
        assert [r.cells[1] for r in grid.rows] == ["[bold]王[/"]
        assert [c.key for c in grid.columns] == ["mood", "confidence", "relationships",
                                                 "motivation", "note"]
        await type_text(pilot, "4")
        await pilot.press("right")
        await type_text(pilot, "2")
        await pilot.press("right", "right", "right")
        await type_text(pilot, "愿意和同桌说话了")
        await pilot.press("ctrl+s")
        await settle(pilot)
        row = Checkin.get()
        assert json.loads(row.ratings) == {"mood": 4, "confidence": 2}
        assert row.note == "愿意和同桌说话了" and row.taken_on == dt.date(2026, 11, 18)


async def test_typed_scores_survive_a_closed_terminal_as_a_draft(school):
    from db.store.local import drafts

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_grid(pilot)
        await fill_header(pilot, "7-1", "2026-11-10", "期中考试", "100", "数学")
        await type_text(pilot, "66")
        await pilot.press("enter")
        await type_text(pilot, "71")
        await settle(pilot)
    # the terminal closed: nothing written, the cells kept on this computer
    assert Score.select().count() == 0
    [draft] = drafts(school.path, school.teacher.id)
    assert draft.form == "score_grid" and draft.title == "7-1 · 期中考试 · 2026-11-10"
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.screen.__class__.__name__ == "DraftsScreen"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ScoreGridScreen)
        grid = screen.query_one(EditGrid)
        zhang, zhao = school.students["张伟"].id, school.students["赵薇"].id
        assert grid.values[(zhang, "数学")] == "66" and grid.values[(zhao, "数学")] == "71"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert sorted((s.student_id, s.score) for s in Score.select()) == [(zhang, 66), (zhao, 71)]
        assert drafts(school.path, school.teacher.id) == []


async def test_the_progress_tab_shows_each_subjects_trend_and_the_change(school):
    from tests.test_progress import hand_checked

    hand_checked(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"20240103", "enter")  # 曾小明
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        shown = app.screen.query_one("#body-progress").render()
        text = str(shown)
        assert "Average 62.5% → 70.0% of full marks: +12.0%" in text
        assert "rose by 10% or more" in text
        lines = text.splitlines()
        maths = lines.index(next(line for line in lines if line.startswith("数学")))
        assert lines[maths] == "数学  75% → 80%  +6.7%"
        chart = lines[maths + 1:maths + 5]  # four rows, 0-100: 75% is three full rows
        assert [row.count("███") for row in chart] == [0, 2, 2, 2]
        assert "▂▂▂" in chart[0]  # 80%: a fifth of the top row
        assert "09-21" in lines[maths + 5] and "11-10" in lines[maths + 5]
        assert any(line.startswith("语文  50% → 60%  +20.0%") for line in lines)
    # 张伟 sat 语文 once: that subject says so and does not count
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"20240101", "enter")
        await settle(pilot)
        await pilot.press("5")
        await settle(pilot)
        text = str(app.screen.query_one("#body-progress").render())
        assert "语文  one score so far" in text and "+20.0%" in text


async def test_changed_full_marks_must_be_listed_again_before_saving(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_grid(pilot)
        await fill_header(pilot, "7-1", "2026-11-10", "期中考试", "100", "数学")
        await type_text(pilot, "110")  # out of 120, meant
        screen.query_one("#grid-full").value = "120"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert Score.select().count() == 0
        screen.query_one("#grid-full").focus()
        await pilot.press("enter")  # listed again for 120: the typed 110 is kept
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        [row] = Score.select()
        assert (row.score, row.full_marks) == (110, 120)
