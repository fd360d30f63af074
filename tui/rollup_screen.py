"""What the two roll-up screens share (a school's, ``screens/rollup.py``; an
office's, ``screens/office.py``): a week or a half-month, the period before or
after (never one not begun), and writing the roll-up's .xlsx in a worker.

A screen using it puts ``period_bindings(prefix)`` in its bindings, calls
``start_period(kind)`` in its ``__init__``, and has ``load()`` (read the period
shown) and ``rollup_to_write()`` (the roll-up ``e`` writes, or None).
"""

from __future__ import annotations

from textual import work
from textual.binding import Binding

from db import clock
from db.rollup import PERIOD_KINDS, period_bounds, shift_period
from tui.i18n import failure, t
from tui.widgets import InfoLine


def period_bindings(prefix: str, *between: Binding) -> list[Binding]:
    """w, [ and ] (the period), the screen's own ``between``, then e (the .xlsx);
    ids ``<prefix>_kind`` and so on."""
    return [
        Binding("w", "kind", "key.rollup_kind", id=f"{prefix}_kind"),
        Binding("left_square_bracket", "step(-1)", "key.rollup_earlier", id=f"{prefix}_earlier",
                key_display="["),
        Binding("right_square_bracket", "step(1)", "key.rollup_later", id=f"{prefix}_later",
                key_display="]"),
        *between,
        Binding("e", "export", "key.export_xlsx", id=f"{prefix}_export"),
    ]


class RollupPeriods:
    kind: str
    start: object
    busy: bool

    def start_period(self, kind: str) -> None:
        """The period of ``kind`` (a week unless "half-month") that holds today."""
        self.kind = kind if kind in PERIOD_KINDS else "week"
        self.start = period_bounds(self.kind, clock.today())[0]
        self.busy = False

    def check_action(self, action: str, parameters) -> bool | None:
        """``e`` once there is a roll-up to write, ``]`` once the next period has
        begun (None: shown, dimmed)."""
        if action == "export":
            return True if self.rollup_to_write() is not None and not self.busy else None
        if action == "step" and parameters and parameters[0] > 0:
            return True if self.later_begun() else None
        return True

    def load(self) -> None:  # pragma: no cover - each screen's own
        raise NotImplementedError

    def rollup_to_write(self):  # pragma: no cover - each screen's own
        raise NotImplementedError

    def later_begun(self) -> bool:
        """The period after the one shown has begun (else ``]`` does nothing)."""
        return shift_period(self.kind, self.start, 1)[0] <= clock.today()

    def action_kind(self) -> None:
        self.kind = "half-month" if self.kind == "week" else "week"
        # the period of the new kind that holds the last day shown (or today)
        end = period_bounds("week" if self.kind == "half-month" else "half-month", self.start)[1]
        self.start = period_bounds(self.kind, min(end, clock.today()))[0]
        self.load()

    def action_step(self, delta: int) -> None:
        start = shift_period(self.kind, self.start, delta)[0]
        if start > clock.today():
            return
        self.start = start
        self.load()

    def action_export(self) -> None:
        rollup = self.rollup_to_write()
        if rollup is None or self.busy:
            return
        from tui.exports import default_path

        path = default_path(t(f"rollscreen.file.{rollup.period.replace('-', '_')}"),
                            rollup.start.isoformat(), suffix="xlsx")
        self.busy = True
        self.refresh_bindings()  # type: ignore[attr-defined]
        self.query_one(InfoLine).show(t("rscreen.writing", path=str(path)))  # type: ignore[attr-defined]
        self.write_rollup(rollup, path)

    @work(thread=True, exclusive=True, group="rollup-write", exit_on_error=False)
    def write_rollup(self, rollup, path) -> None:
        from tui.report_rollup import write_rollup

        try:
            written = write_rollup(rollup, "xlsx", path)
        except OSError as exc:
            self.app.call_from_thread(self._written, None, failure(exc))  # type: ignore[attr-defined]
            return
        self.app.call_from_thread(self._written, written, "")  # type: ignore[attr-defined]

    def _written(self, path, problem: str) -> None:
        self.busy = False
        if path is None:
            message = t("rscreen.write_failed", detail=problem)
            self.notify(message, severity="error", markup=False)  # type: ignore[attr-defined]
        else:
            message = t("rscreen.written", path=str(path))
            self.notify(message, markup=False, timeout=8)  # type: ignore[attr-defined]
        self.query_one(InfoLine).show(message)  # type: ignore[attr-defined]
        self.refresh_bindings()  # type: ignore[attr-defined]
