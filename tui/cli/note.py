"""``bangfu note STUDENT``: the note a family can read (家长版小结), printed or
written as a UTF-8 file (``-o FILE``), in the interface's language
(``--lang zh|en``).  The same facts and words as the app's screen (h on a
case): ``db.parent_note`` and ``tui.parent_note``.  Printed or written, the
note leaves bangfu: each is in the audit log (``print`` or ``file``).  bangfu
sends nothing.  No Textual here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tui.cli.common import CliError, find_student, open_school, safe, signed_in
from tui.i18n import failure, label, language, t


def add_commands(add_parser) -> None:
    p = add_parser("note", help=t("cli.help.note"))
    p.add_argument("student", help=t("cli.help.student"))
    p.add_argument("-o", "--output", "--out", metavar="FILE", default="",
                   help=t("cli.help.note_out"))


def cmd_note(args, settings) -> int:
    from db import access, clock
    from db.cases import current_case_id
    from db.parent_note import note_facts, record_export
    from tui.exports import default_path, write_via_temp
    from tui.parent_note import note_text
    from tui.sheets import save_text

    open_school(settings)
    reader = signed_in(settings, args, "parent_note")
    row = find_student(args.student, reader)
    case_id = current_case_id(row.student_id)
    if case_id is None:
        raise CliError(t("pnote.no_case"))
    try:
        facts = note_facts(reader, case_id)
    except access.NotAllowed:
        raise CliError(t("cli.not_allowed", role=label("staff_role", reader.role)), 4) from None
    if facts is None:
        raise CliError(t("pnote.gone"))
    text = note_text(facts, language())
    if not args.output:
        record_export(reader, case_id, "print")
        sys.stdout.write(text)
        return 0
    target = Path(os.path.expanduser(args.output))
    if target.is_dir():  # a folder: the default name in it
        target /= default_path("family-note", row.name, f"{clock.today():%Y-%m-%d}",
                               suffix="txt").name
    try:
        written = write_via_temp(target, lambda path: save_text(path, text))
    except OSError as exc:
        raise CliError(t("pnote.failed", detail=exc.strerror or failure(exc))) from None
    try:
        record_export(reader, case_id, "file")
    except BaseException:
        written.unlink(missing_ok=True)  # no file leaves without its audit row
        raise
    print(t("cli.note_written", path=safe(str(written))))
    return 0
