"""Context app for bench/keystroke.py: an Input whose value is copied into a Static.

Not the budget baseline (that is ``minimal_app.py --echo``, an Input alone):
this shows what the Input.Changed hop plus a second widget's repaint cost,
which any search-as-you-type screen pays.  ctrl+q quits.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Static


class EchoLabelApp(App):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Type to echo", id="echo")
        yield Static("", id="copy", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#copy", Static).update(f"{len(event.value)} chars: {event.value}")


if __name__ == "__main__":
    EchoLabelApp().run()
