"""Reading a school's roster file: the national student registry's export
(全国中小学生学籍信息管理系统) or a class list, as .xlsx or .csv.

``read_roster`` finds the header row (title rows above it are passed over),
works out what each column holds, and returns the rows that can be imported
plus every problem (the row is not imported), every correction made (the row
is imported with the corrected value) and every row passed over, each by the
row number the user sees in the spreadsheet or text editor.

What a spreadsheet does to a roster is undone where it can be undone exactly
(numbers stored as numbers, "13812345678.0", scientific notation with every
digit still there, full-width digits, stray spaces) and reported where it
cannot (digits lost to "1.38E+10"). Nothing is ever guessed silently. A row
with a problem is not imported, and its corrections are not listed: a ``Fix``
is always on a row that is imported.

A student number keeps its "-" (bangfu's own numbers look like "7-3-05");
phones lose spaces, "-", brackets and a leading +86.

A value the student editor would refuse is refused here too, with the
editor's own limits (``db.students``: a name of at most 40 characters, a
student number of 30, an address of 200): the row is a problem, never cut
short. Cleaning never splits a character from what belongs to it: a joiner
inside an emoji sequence (👨‍👩‍👧) or a script that needs it stays, a combining
accent stays on its letter, and a correction is reported only when the text
changed in a way a person can see.

Memory stays bounded whatever the file: a CSV is read row by row, a
workbook's sheet is streamed (openpyxl's read-only mode), and a workbook is
refused before anything is unpacked when its parts would unpack to more than
``XLSX_MAX_UNPACKED`` (or one part read whole to more than ``XLSX_MAX_PART``);
a sheet's cells are counted (``XLSX_MAX_CELLS``) and a text run longer than
``MAX_TEXT_RUN`` (a cell, a shared string, a CSV line) refused by a quick
scan before openpyxl parses anything; reading stops at ``MAX_ROWS`` rows.
The rows that can be imported are kept packed (``ParsedFile.record_chunks``), and the
lists for the report (problems, corrections, rows skipped) keep their first
``MAX_LISTED`` entries and count the rest.

No database and no Textual here; openpyxl is imported only when an .xlsx is
read, and ``db.students`` (for the editor's limits) only when a file is read.
The identity-number column is recognised but never read unless the user maps
it explicitly.
"""

from __future__ import annotations

import datetime as dt
import marshal
import os
import zlib
from dataclasses import dataclass, field as _field

from db.roster_cells import nfkc, norm_header
from db.vocab import ROSTER_FIELDS

FIELDS = ROSTER_FIELDS  # db.vocab: the CLI names them without importing this module
IGNORE = ("-", "ignore")  # a mapping to one of these ignores the column

PROBLEM_CODES = (
    "missing_name",          # no name
    "missing_number",        # the student-number cell is blank
    "no_number",             # the number comes from class + 班内学号, but the class is unknown
    "duplicate_number",      # an earlier row has the same number (value: that row)
    "digits_lost",           # 1.38E+10 or a number cell of 16+ digits: the digits are gone
    "bad_phone",             # not a mobile (1 + 10 digits) or landline number
    "bad_date",              # not a date, impossible, in the future or before 1990
    "bad_gender",            # not 男/女, 1/2, M/F, male/female
    "bad_class",             # the grade or class is not understood, or a class without a grade
    "class_grade_mismatch",  # the class names a grade other than the grade column's
    "bad_flag",              # a yes/no column holding something else
    "bad_id_number",         # (mapped only) not 18 characters (17 digits + digit/X) or 15 digits
    "too_long",              # longer than the student editor allows (value: the length; limit)
    "too_many_guardians",    # (db.roster_import, a re-import) the student would have more
                             # guardians than the editor takes (value: how many; limit)
)
FIX_CODES = (
    "number_cell",          # an .xlsx number cell turned into text (check leading zeros)
    "trailing_zero",        # "13812345678.0" → "13812345678"
    "scientific",           # "1.3812345678E+10" → "13812345678" (every digit was there)
    "full_width",           # full-width digits or letters → ordinary ones
    "spaces",               # spaces (also non-breaking, full-width, zero-width) removed
    "several_phones",       # several numbers in one cell: the first one kept
    "left_behind_assumed",  # 是否留守儿童 "是" without detail → one parent away
    "month_only",           # a birth date with only year and month → the first of the month
    "date_cell",            # a class "7-3" that Excel turned into a date (3 July) → "7-3"
)
SKIP_CODES = (
    "blank",            # an empty row between data rows
    "repeated_header",  # the header again (each page of a printout repeats it)
)

ERROR_CODES = ("unreadable", "encoding", "empty", "no_header", "no_name", "no_number",
               "bad_mapping", "sheet",
               "too_big",         # the workbook would unpack to more than XLSX_MAX_UNPACKED
               "too_big_part",    # one part read whole would unpack to more than XLSX_MAX_PART
               "too_many_cells",  # a sheet holds more than XLSX_MAX_CELLS cells
               "too_many_rows",   # more than MAX_ROWS rows below the header
               "cell_too_long",   # a cell's text or a CSV line of more than MAX_TEXT_RUN
               )  # RosterFileError: the whole file cannot be used

HEADER_SCAN = 20  # the header is looked for in the first 20 rows
PROGRESS_EVERY = 200

# What one file may hold. A district's registry export (20,000 students, 30
# columns) is about 40 MB unpacked and 600,000 cells: it fits several times
# over. Beyond these the file is refused with a message that states them
# (tui.i18n "import.error.too_*"; README "Day one").
MIB = 1024 * 1024
MAX_ROWS = 300_000                # rows below the header, blank ones included
XLSX_MAX_UNPACKED = 256 * MIB     # all the parts of a workbook, unpacked (declared sizes)
XLSX_MAX_PART = 64 * MIB          # one part read whole: the shared strings, the styles …
XLSX_MAX_CELLS = 3_000_000        # cells of the sheet read (each row as wide as its last cell)
MAX_LISTED = 1000                 # problems, corrections, rows skipped listed one by one
PREVIEW_ROWS = 5
PREVIEW_CELL = 64                 # characters kept of each cell of the preview
RECORDS_PER_CHUNK = 500           # rows packed together (and matched together by the import)
MAX_TEXT_RUN = MIB                # text between two tags of a sheet, one line of a CSV


class RosterFileError(Exception):
    """The whole file cannot be used; ``code`` says why (see the module)."""

    def __init__(self, code: str, **extra):
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class Problem:
    row: int
    field: str
    code: str
    value: str = ""
    limit: int = 0  # too_long: the editor's limit (the value is the length)


@dataclass
class Fix:
    row: int
    field: str
    code: str
    before: str
    after: str


@dataclass
class GuardianRecord:
    name: str
    relation: str  # db.vocab.RELATIONS
    phone: str = ""


@dataclass
class RosterRecord:
    row: int
    student_no: str
    name: str
    gender: str = ""
    birth_date: dt.date | None = None
    grade: int = 0
    class_code: str = ""
    class_name: str = ""
    address: str = ""
    phone: str = ""
    flags: dict[str, bool] = _field(default_factory=dict)
    guardians: list[GuardianRecord] = _field(default_factory=list)
    id_number: str = ""
    village: str = ""  # a village column's value (属地); "" = read from the address


@dataclass
class Column:
    index: int
    header: str
    field: str | None


@dataclass
class ParsedFile:
    """What ``read_roster`` found. The rows that can be imported are kept
    packed, ``RECORDS_PER_CHUNK`` to a chunk: ``record_chunks()`` unpacks one
    chunk at a time (the import matches and writes them so), ``records`` all
    of them at once (for small files and tests). ``problems``, ``fixes`` and
    ``skipped`` hold the first ``MAX_LISTED`` of each; ``more`` counts the rest
    by list name, ``problem_rows`` counts every row left out."""

    path: str
    kind: str
    encoding: str
    sheet: str
    header_row: int
    columns: list[Column]
    preview: list[tuple[int, list[str]]]
    problems: list[Problem]
    fixes: list[Fix]
    skipped: list[tuple[int, str]]
    id_column: str = ""
    rows_read: int = 0
    record_count: int = 0
    problem_rows: int = 0
    more: dict[str, int] = _field(default_factory=dict)
    _chunks: list[bytes] = _field(default_factory=list, repr=False)

    def record_chunks(self):
        """The records to import, a list of at most ``RECORDS_PER_CHUNK`` at a time."""
        for packed in self._chunks:
            yield [_unpack(item) for item in marshal.loads(zlib.decompress(packed))]

    def iter_records(self):
        for chunk in self.record_chunks():
            yield from chunk

    @property
    def records(self) -> list[RosterRecord]:
        return list(self.iter_records())


def pack_records(records: list[RosterRecord]) -> bytes:
    return zlib.compress(marshal.dumps(tuple(
        (r.row, r.student_no, r.name, r.gender,
         r.birth_date.toordinal() if r.birth_date else 0, r.grade, r.class_code, r.class_name,
         r.address, r.phone, tuple(r.flags.items()),
         tuple((g.name, g.relation, g.phone) for g in r.guardians), r.id_number, r.village)
        for r in records)), 1)


def _unpack(item) -> RosterRecord:
    (row, student_no, name, gender, born, grade, class_code, class_name, address, phone,
     flags, guardians, id_number, village) = item
    return RosterRecord(row=row, student_no=student_no, name=name, gender=gender,
                        birth_date=dt.date.fromordinal(born) if born else None, grade=grade,
                        class_code=class_code, class_name=class_name, address=address,
                        phone=phone, flags=dict(flags),
                        guardians=[GuardianRecord(*g) for g in guardians], id_number=id_number,
                        village=village)



# --- the file ----------------------------------------------------------------------


def parse_mapping(items) -> dict[str, str]:
    """["电话=phone", "学籍号=student_no"] → {"电话": "phone", "学籍号": "student_no"};
    a field of "-" or "ignore" ignores the column."""
    mapping: dict[str, str] = {}
    for item in items or ():
        text = nfkc(str(item))
        header, sep, name = text.rpartition("=")
        header, name = header.strip(), name.strip().lower()
        if not sep or not header or not name or (name not in FIELDS and name not in IGNORE):
            raise RosterFileError("bad_mapping", item=str(item))
        mapping[header] = name
    return mapping


def _check_mapping(mapping) -> dict[str, str]:
    """The mapping keyed by normalised header."""
    normalised = {}
    for header, name in (mapping or {}).items():
        if (name not in FIELDS and name not in IGNORE) or not norm_header(header):
            raise RosterFileError("bad_mapping", item=f"{header}={name}")
        normalised[norm_header(header)] = name
    return normalised



# --- csv and xlsx ---------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_roster(path, mapping: dict[str, str] | None = None, sheet: str | None = None,
                progress=None) -> ParsedFile:
    """Read a roster (.xlsx or .csv, told apart by their content)."""
    # the readers (db.roster_formats) build on this module's types: imported when a file is read
    from db.roster_formats import READ_SIZE, read_csv, read_xlsx

    mapping = _check_mapping(mapping)
    path = os.fspath(path)
    try:
        with open(path, "rb") as fh:
            start = fh.read(8)
    except OSError:
        raise RosterFileError("unreadable") from None
    if start.startswith(b"PK\x03\x04"):
        return read_xlsx(path, mapping, sheet, progress)
    if start == _OLE:
        marker = "EncryptedPackage".encode("utf-16-le")
        encrypted, tail = False, b""
        with open(path, "rb") as fh:  # a block at a time: an old .xls may be large
            while not encrypted and (block := fh.read(READ_SIZE)):
                encrypted, tail = marker in tail + block, block[-len(marker):]
        raise RosterFileError("unreadable", reason="encrypted" if encrypted else "xls")
    return read_csv(path, mapping, progress)
