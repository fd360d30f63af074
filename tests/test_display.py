"""What the screen shows (issue 19): nothing written is hidden under the
timeline's scrollbar, small terminals, NO_COLOR, the roster's header lining up
with its rows, copying out (OSC 52) and the mouse left to the terminal.

The screen is read as the terminal gets it: the strips the app's compositor
sends, every widget and scrollbar drawn in its place (``screen_rows``).
"""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len

from db.models import Assignment, Contact
from db.staff import add_staff
from screens.case import CaseScreen
from screens.roster import RosterScreen
from tests.conftest import NOW, PIN_HASH, TODAY
from tests.helpers import cli_env, make_app, settle, sign_in
from tui.i18n import label, restricted_entry, t
from tui.widgets import ALERT_MARK, RosterColumns, TooSmallScreen

# the Thousand Character Classic: no spaces, every character two cells wide
QIANZI = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳"
          "云腾致雨露结为霜金生丽水玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜")
CJK_TEXT = QIANZI * 6
ENGLISH_TEXT = " ".join(
    f"word{i} and a wonderfully long explanation of homework number {i}," for i in range(40))
SIZES = [(80, 24), (60, 20)]


def entry(school, name: str, day: int, discussed: str, **values) -> Contact:
    return Contact.create(
        uuid=f"00000000-0000-4000-8000-{day:03d}{len(discussed):09d}", case=school.cases[name].id,
        author=school.teacher.id, occurred_at=dt.datetime(2026, 11, day, 9, 0), kind="family",
        channel="phone", discussed=discussed, host="test", created_at=NOW, **values)


def long_timeline(school) -> None:
    """张伟's timeline: more entries than are drawn at once (the rest come from
    a worker), the two long ones oldest, so that only the worker draws them."""
    entry(school, "张伟", 3, CJK_TEXT)
    entry(school, "张伟", 4, ENGLISH_TEXT)
    for day in range(5, 18):
        entry(school, "张伟", day, f"short note {day}")


def screen_rows(app):
    """The whole screen as strips, as the terminal is sent it."""
    return app.screen._compositor.render_strips()


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in screen_rows(app))


def words(text: str) -> str:
    return " ".join(text.split())


async def timeline_on_screen(pilot) -> list[str]:
    """Every line of the timeline as it shows on screen, page by page: the
    cells left of its scrollbar (what is under the scrollbar is not seen)."""
    timeline = pilot.app.screen.query_one("#timeline")
    seen: dict[int, str] = {}
    y = 0
    while True:
        timeline.scroll_to(y=y, animate=False)
        await pilot.pause()
        region = timeline.scrollable_content_region
        top = round(timeline.scroll_offset.y)
        rows = screen_rows(pilot.app)
        for i in range(region.height):
            seen[top + i] = rows[region.y + i].crop(region.x, region.right).text
        if top >= timeline.max_scroll_y:
            return [seen[i] for i in sorted(seen)]
        y = top + region.height


async def open_case(pilot, number: str = "20240101", who: str = "wangfang") -> CaseScreen:
    await sign_in(pilot, who)
    await pilot.press(*number, "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CaseScreen)
    return pilot.app.screen


def assert_all_shown(lines: list[str]) -> None:
    shown = "".join(line.strip() for line in lines)
    assert CJK_TEXT in shown, "a character of the entry is not on the screen"
    assert words(ENGLISH_TEXT) in words(" ".join(lines)), "a word of the entry is not on the screen"


# -- 1. the timeline wraps beside its scrollbar, never under it ---------------------------

@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_every_character_of_a_long_entry_is_on_the_screen(school, size):
    long_timeline(school)
    app = make_app(school.path)
    async with app.run_test(size=size) as pilot:
        await open_case(pilot)
        timeline = app.screen.query_one("#timeline")
        assert timeline.show_vertical_scrollbar
        assert not timeline.show_horizontal_scrollbar  # nothing to scroll sideways to
        assert_all_shown(await timeline_on_screen(pilot))


async def test_the_timeline_wraps_again_when_the_terminal_or_its_scrollbar_changes(school):
    long_timeline(school)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        timeline = app.screen.query_one("#timeline")
        for size in [(60, 20), (80, 24), (61, 21)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert_all_shown(await timeline_on_screen(pilot))
        # tall enough for every line: no scrollbar, the text takes the whole width
        await pilot.resize_terminal(200, 120)
        await settle(pilot)
        assert not timeline.show_vertical_scrollbar
        assert max(line.cell_length for line in timeline.lines) > timeline.size.width - 2
        assert_all_shown(await timeline_on_screen(pilot))
        await pilot.resize_terminal(60, 20)  # the scrollbar is back: wrapped beside it
        await settle(pilot)
        assert timeline.show_vertical_scrollbar
        assert_all_shown(await timeline_on_screen(pilot))


async def test_an_entry_saved_elsewhere_that_brings_the_scrollbar_is_wrapped_beside_it(school):
    """Two short entries fit without a scrollbar; a long one saved on another
    computer makes the timeline scroll: it is wrapped beside the scrollbar."""
    app = make_app(school.path)
    async with app.run_test(size=(60, 20)) as pilot:
        case = await open_case(pilot)
        timeline = app.screen.query_one("#timeline")
        assert not timeline.show_vertical_scrollbar
        entry(school, "张伟", 3, CJK_TEXT)
        entry(school, "张伟", 4, ENGLISH_TEXT)
        case.others_wrote()
        await settle(pilot)
        assert timeline.show_vertical_scrollbar
        assert_all_shown(await timeline_on_screen(pilot))


# -- 2. small terminals -------------------------------------------------------------------

def too_small_text(width: int, height: int) -> str:
    return words(t("app.too_small", width=60, height=20, now_width=width, now_height=height))


async def test_below_60x20_the_app_says_so_and_comes_back_as_it_was(school, lang):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        case = await open_case(pilot)
        for size in [(50, 15), (59, 20), (60, 19)]:
            await pilot.resize_terminal(*size)
            await settle(pilot)
            assert isinstance(app.screen, TooSmallScreen)
            shown = screen_text(app)
            assert too_small_text(*size) in words(shown)
            assert "^q" in shown  # the way out is still shown
        assert [type(s) for s in app.screen_stack].count(TooSmallScreen) == 1
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert app.screen is case  # where the person was
        assert TooSmallScreen not in [type(s) for s in app.screen_stack]
        assert "张伟 · 七年级(1)班" in screen_text(app)


async def test_started_in_a_small_terminal_it_says_so_then_signs_in(school):
    app = make_app(school.path)
    async with app.run_test(size=(50, 15)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert too_small_text(50, 15) in words(screen_text(app))
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert TooSmallScreen not in [type(s) for s in app.screen_stack]
        await sign_in(pilot)
        assert isinstance(app.screen, RosterScreen)


def cells(text: str) -> list[str]:
    """A line as terminal cells: a wide character, then "" for its second cell."""
    out = []
    for ch in text:
        out += [ch] + [""] * (cell_len(ch) - 1)
    return out


async def test_at_60x20_the_roster_shows_every_column_and_the_signed_in_name(school, lang):
    app = make_app(school.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await sign_in(pilot)
        text = screen_text(app)
        assert "王芳" in text.splitlines()[0]  # the header: who is signed in
        titles = [t(f"roster.col.{key}") for key in RosterColumns.KEYS]
        header = next(line for line in text.splitlines() if line.startswith(f" {titles[0]} "))
        for title in titles:
            assert f" {title}" in header, (title, header)
        zhang = next(line for line in text.splitlines() if line.startswith(" 张伟 "))
        assert zhang.split()[-3:] == ["11-02", label("channel_short", "wechat"), "18"], zhang
        roster = app.screen.roster
        for y, row in enumerate(roster.rows):
            line = roster.render_line(y).text
            assert cell_len(line) == 60
            assert row.class_name in line, line
            if cell_len(row.name) <= 8:  # a name of four characters is shown whole
                assert f" {row.name} " in line, line
        footer = text.splitlines()[-1]
        assert footer.split()[:2] == ["⏎", t("key.open").split()[0]]


async def test_at_60x20_the_case_shows_its_student_status_and_every_tab(school, lang):
    app = make_app(school.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_case(pilot)
        text = screen_text(app)
        assert "张伟 · 七年级(1)班" in text
        assert "2026-2027 第一学期" in words(text)  # the status line wraps, never cut
        for i, name in enumerate(("timeline", "file", "family", "plan", "progress"), 1):
            assert f" {i} {t('case.tab.' + name)} " in text, name
        footer = text.splitlines()[-1].split()
        assert footer[:3] == ["esc", t("key.back"), "n"]
        timeline = app.screen.query_one("#timeline")
        assert timeline.size.height >= 10  # still room to read


async def test_at_60x20_every_field_of_the_contact_form_and_its_label_is_shown(school, lang):
    from textual.widgets import Input

    from screens.contact import ContactScreen

    app = make_app(school.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_case(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ContactScreen)
        scroll = form.query_one("#form")
        for row in form.query("#form .row, #form .row-tall, #form .row-mid"):
            scroll.scroll_to_widget(row, animate=False)
            await pilot.pause()
            right = scroll.scrollable_content_region.right
            for widget in row.children:
                assert widget.region.width > 0 and widget.region.right <= right, \
                    (widget, widget.region, right)
                if isinstance(widget, Input) and widget.value:
                    assert widget.content_region.width > cell_len(widget.value), widget
            title = str(row.children[0].render()).strip()
            assert title in screen_text(app), title


async def test_at_60x20_the_entry_picker_fits_the_screen(school, lang):
    """The dialogs are 60 to 76 columns wide: at 60 they narrow to the screen."""
    entry(school, "张伟", 10, "第二次电话")
    app = make_app(school.path)
    async with app.run_test(size=(60, 20)) as pilot:
        await open_case(pilot)
        await pilot.press("a")
        await settle(pilot)
        box = app.screen.query_one("#entries")
        assert box.region.x >= 0 and box.region.right <= 60, box.region
        assert "第二次电话" in screen_text(app)


# -- 3. NO_COLOR ----------------------------------------------------------------------------

def luminance(color) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(strip) -> float:
    """The lowest contrast of any written text on a line of the screen (WCAG)."""
    lowest = 21.0
    for segment in strip:
        style = segment.style
        if not segment.text.strip() or style is None or style.color is None:
            continue
        fg, bg = style.color, style.bgcolor
        if style.reverse:
            fg, bg = bg, fg
        light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
        lowest = min(lowest, (light + 0.05) / (dark + 0.05))
    return lowest


def row_on_screen(app, text: str):
    matches = [strip for strip in screen_rows(app) if text in strip.text]
    assert matches, (text, screen_text(app))
    return matches[0]


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made


@pytest.fixture
def overdue(school):
    """A follow-up of 曾小明's ten days late (My caseload, the overview)."""
    entry(school, "曾小明", 1, "home visit planned", follow_up="Visit the grandmother",
          follow_up_due=TODAY - dt.timedelta(days=10))


async def test_with_no_color_overdue_rows_are_marked_and_readable(school, no_color, overdue):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.no_color
        late = row_on_screen(app, t("caseload.late", n=10))
        assert late.text.startswith(ALERT_MARK), late.text
        assert contrast(late) >= 4.5
        on_time = row_on_screen(app, "Call again")  # 张伟's follow-up, not late
        assert not on_time.text.startswith(ALERT_MARK)
        # the roster's greyed rows (no case) say so in words and stay readable
        no_case = row_on_screen(app, "单田芳")
        assert " — " in no_case.text and contrast(no_case) >= 4.5
        # the leaders' overview, class 7-1's cases: 曾小明's is overdue
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("down", "enter")
        await settle(pilot)
        late = row_on_screen(app, "曾小明")
        assert late.text.startswith(ALERT_MARK) and contrast(late) >= 4.5, late.text
        assert not row_on_screen(app, "赵薇").text.startswith(ALERT_MARK)


async def test_in_colour_overdue_rows_stay_red_without_a_mark(school, overdue):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert not app.no_color
        late = row_on_screen(app, t("caseload.late", n=10))
        assert not late.text.startswith(ALERT_MARK)
        assert any(seg.style and seg.style.color and seg.style.color.get_truecolor().red > 200
                   and seg.style.color.get_truecolor().green < 100 for seg in late)


async def test_with_no_color_the_intake_pass_says_which_students_have_a_case(school, no_color):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f11")
        await settle(pilot)
        await pilot.press(*"7-1", "enter")
        await settle(pilot)
        with_case = row_on_screen(app, "20240102")  # 赵薇: identified, cannot be marked
        assert "·" in with_case.text and t("status.none") not in with_case.text
        assert "identified" in with_case.text and contrast(with_case) >= 4.5


# -- 4. the roster's header ------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES, ids=["80x24", "60x20"])
async def test_the_roster_header_starts_each_title_where_the_rows_cells_start(school, lang, size):
    app = make_app(school.path)
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot)
        roster = app.screen.roster
        widths = roster.columns.widths
        rows = [strip.text for strip in screen_rows(app)]
        titles = [t(f"roster.col.{k}") for k in roster.columns.KEYS]
        header = cells(next(line for line in rows if line.startswith(f" {titles[0]} ")))
        first = roster.rows[0]  # 张伟: every cell filled
        line = cells(next(line for line in rows if line.startswith(f" {first.name} ")))
        values = [first.name, first.class_name, None, first.lead, None, None]
        start = 1
        for title, value, width in zip(titles, values, widths):
            assert "".join(header[start:start + len(cells(title))]) == title, (title, header)
            assert header[start - 1] == " "
            if value:
                assert "".join(line[start:start + len(cells(value))]) == value, (value, line)
            start += width + 1


# -- 5. copying out (OSC 52) and the mouse ------------------------------------------------

@pytest.fixture
def entries(school):
    """张伟's timeline: the fixture's entry (2 November) and two newer ones, the
    newest restricted (its text is never in the case screen's view)."""
    entry(school, "张伟", 10, "第二次电话：作业交了三次\n下周再联系")
    entry(school, "张伟", 12, "SECRET counselling notes", restricted="counselling")


async def test_y_copies_the_picked_timeline_entry_as_shown(school, entries):
    from screens.entries import EntryPickerScreen

    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, EntryPickerScreen)
        assert t("copy.pick") in screen_text(app)
        await pilot.press("down", "enter")  # the second newest: 10 November
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.clipboard == ("2026-11-10 09:00  family · phone · by 王芳\n"
                                 "第二次电话：作业交了三次\n下周再联系")
        assert any(n.message.startswith("Copied: 2026-11-10 09:00") for n in app._notifications)
        await pilot.press("y", "enter")  # the newest, restricted: only what is shown
        await settle(pilot)
        assert app.clipboard == ("2026-11-12 09:00  family · phone · by 王芳\n"
                                 + restricted_entry("counselling"))


async def test_y_copies_the_only_entry_at_once_and_says_so(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert app.clipboard.startswith("2026-11-02 16:00  family · WeChat · by 王芳 · 10 min\n")
        assert "Talked about homework [/] and sleep red" in app.clipboard
        assert "\x1b" not in app.clipboard


async def test_y_on_the_family_tab_copies_the_family_phone(school):
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_case(pilot)
        await pilot.press("3", "y")
        await settle(pilot)
        assert app.clipboard == "13800000000"  # the first guardian's (no family number)
        assert any(n.message == "Copied: 13800000000" for n in app._notifications)
        await pilot.press("2", "y")  # the case file: nothing to copy there, and it says so
        await settle(pilot)
        assert any(n.message == t("copy.nothing") for n in app._notifications)


async def test_ctrl_y_and_y_on_the_roster_copy_the_highlighted_familys_phone(school):
    from db.models import Guardian, Student

    Student.update(phone="0851-1234567").where(
        Student.id == school.students["赵薇"].id).execute()
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(*"20240101", "ctrl+y")
        await settle(pilot)
        assert app.clipboard == "13800000000"
        await pilot.press("ctrl+u", *"20240102", "tab", "y")  # in the list: y
        await settle(pilot)
        assert app.clipboard == "0851-1234567"  # the family's own number first
    assert Guardian.select().count() == 14  # nothing written


async def test_a_volunteer_copies_no_phone_number_they_may_not_see(school):
    volunteer = add_staff(None, "孙小志", "volunteer", pin_hash=PIN_HASH)
    Assignment.create(case=school.cases["赵薇"].id, staff=volunteer.id, role="volunteer",
                      active=True, assigned_on=TODAY)
    app = make_app(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot, "sunxiaozhi")
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert not app.clipboard
        assert any(n.message == t("copy.phone_hidden") for n in app._notifications)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("3", "y")
        await settle(pilot)
        assert not app.clipboard


@pytest.mark.file_only  # the terminal is the subject, not the database
def test_the_app_leaves_the_mouse_to_the_terminal(school, tmp_path):
    """Keyboard only: mouse tracking is never switched on, so the terminal's own
    selection works and no motion events queue up before the next key."""
    from tests.terminal import Terminal

    term = Terminal(["--db", school.path], cli_env(tmp_path))
    try:
        term.wait_for("PIN for 王芳")
        term.write("1234\r")
        term.wait_for("Showing all students")
        written = bytes(term.raw)
    finally:
        term.close()
    for mode in (b"1000", b"1002", b"1003", b"1006", b"1015"):  # clicks, drags, motion, encodings
        assert b"\x1b[?" + mode + b"h" not in written, mode
