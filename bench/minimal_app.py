"""Baseline apps for the benchmarks (no database, nothing but Textual).

    python bench/minimal_app.py          Header, Input, a 50-row DataTable, Footer
                                         (the first-screen / memory baseline;
                                         its title "Minimal baseline" is the marker)
    python bench/minimal_app.py --echo   only an Input (the keystroke baseline:
                                         the Input echoes what is typed)

Like bangfu, ctrl+q quits.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input

MARKER = "Minimal baseline"
ECHO_MARKER = "Type to echo"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰"


class MinimalApp(App):
    TITLE = MARKER
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search", id="query")
        yield DataTable(id="table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Name", "Class", "Status", "Lead", "Last contact", "Days")
        for i in range(50):
            name = SURNAMES[i % 20] + GIVEN[(i * 7) % 20] + GIVEN[(i * 3) % 20]
            table.add_row(name, f"七年级({i % 8 + 1})班", "active", SURNAMES[(i * 3) % 20] + "老师",
                          f"11-{i % 28 + 1:02d} phone", str(i % 30), key=str(i))
        self.query_one(Input).focus()


class EchoApp(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Input(placeholder=ECHO_MARKER, id="echo")

    def on_mount(self) -> None:
        self.query_one(Input).focus()


def main(argv: list[str]) -> int:
    app = EchoApp() if "--echo" in argv else MinimalApp()
    app.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
