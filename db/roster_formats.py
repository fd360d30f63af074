"""The roster file formats: a CSV (any encoding Excel writes, any delimiter) or
an .xlsx workbook, read into rows, and the rows under the header parsed.

Both are read with bounded memory: a CSV line by line, a workbook's sheet
streamed after its zip directory and its cells were counted against the
limits (``db.roster_file``: ``XLSX_MAX_UNPACKED``, ``XLSX_MAX_PART``,
``XLSX_MAX_CELLS``, ``MAX_TEXT_RUN``).  ``find_header`` finds the header row
and ``parse`` turns the rows below it into a ``ParsedFile``.  Called by
``db.roster_file.read_roster``; openpyxl is imported only when a workbook is
read.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re

from db.roster_cells import RECOGNISED, cell_text, cut_text, norm_header
from db.roster_fields import FLAG_FIELDS, GUARDIAN_SLOTS, Row, read_row, student_editor
from db.roster_file import (HEADER_SCAN, IGNORE, MAX_LISTED, MAX_ROWS, MAX_TEXT_RUN, MIB, PREVIEW_CELL,
                            PREVIEW_ROWS, PROGRESS_EVERY, RECORDS_PER_CHUNK, XLSX_MAX_CELLS, XLSX_MAX_PART,
                            XLSX_MAX_UNPACKED, Column, ParsedFile, RosterFileError, RosterRecord,
                            pack_records)
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHARED_STRINGS_TYPE = \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _header_fields(norms: list[str], mapping: dict[str, str]) -> list[str | None]:
    out = []
    for norm in norms:
        name = mapping.get(norm) if norm in mapping else RECOGNISED.get(norm)
        out.append(None if name in IGNORE else name)
    return out


def _find_header(head, mapping) -> tuple[int, list]:
    """The index in ``head`` of the header row, or the RosterFileError to raise."""
    seen_rows = no_name = False
    for i, (_, values) in enumerate(head):
        texts = [cell_text(v) for v in values]
        if not any(texts):
            continue
        seen_rows = True
        found = [f for f in _header_fields([norm_header(t) for t in texts], mapping) if f]
        if len(found) >= 2:
            if "name" in found:
                return i, texts
            no_name = True
    if no_name:
        raise RosterFileError("no_name")
    if not seen_rows and len(head) < HEADER_SCAN:
        raise RosterFileError("empty")
    raise RosterFileError("no_header")


def _columns(texts: list[str], mapping: dict[str, str]) -> tuple[list[Column], str]:
    while texts and not texts[-1]:
        texts = texts[:-1]
    norms = [norm_header(t) for t in texts]
    present = set(norms)
    name: str | None
    for norm, name in mapping.items():
        if norm not in present:
            original = next((h for h in mapping if norm_header(h) == norm), norm)
            raise RosterFileError("bad_mapping", item=f"{original}={name}")
    taken: set[str] = set()
    fields: list[str | None] = [None] * len(texts)
    # mapped columns first: they win over a recognised one with the same field
    for i, norm in enumerate(norms):
        name = mapping.get(norm)
        if name and name not in IGNORE and name not in taken:
            fields[i] = name
            taken.add(name)
    id_column = ""
    for i, norm in enumerate(norms):
        if norm in mapping:
            if mapping[norm] in IGNORE and RECOGNISED.get(norm) == "id_number" and not id_column:
                id_column = texts[i]
            continue
        name = RECOGNISED.get(norm)
        if name == "id_number":
            if not id_column and "id_number" not in taken:
                id_column = texts[i]
            continue
        if name and name not in taken:
            fields[i] = name
            taken.add(name)
    return [Column(i, texts[i], fields[i]) for i in range(len(texts))], id_column


def _parse(rows, head, header_at, header_texts, mapping, meta, total, progress) -> ParsedFile:
    columns, id_column = _columns(header_texts, mapping)
    index = {c.field: c.index for c in columns if c.field}
    if "student_no" in index:
        number_field = "student_no"
    elif "aux_no" in index:
        number_field = "aux_no"
    elif "class_no" in index and "class" in index:
        number_field = "class_no"
    else:
        raise RosterFileError("no_number")
    width = len(columns)
    header_norms = [norm_header(c.header) for c in columns]
    name_at = index["name"]
    header_row = head[header_at][0]

    parsed = ParsedFile(path=meta["path"], kind=meta["kind"], encoding=meta["encoding"],
                        sheet=meta["sheet"], header_row=header_row, columns=columns,
                        preview=[], problems=[], fixes=[], skipped=[],
                        id_column=id_column)
    more = {"problems": 0, "fixes": 0, "skipped": 0}

    def listed(name: str, items) -> None:
        target = getattr(parsed, name)
        for item in items:
            if len(target) < MAX_LISTED:
                target.append(item)
            else:
                more[name] += 1

    first_row: dict[str, int] = {}
    blanks: list[int] = []  # blank rows not yet known to be between data rows
    blank_count = 0
    chunk: list[RosterRecord] = []
    flag_fields = [f for f in FLAG_FIELDS if f in index]
    has_class = "class" in index or "grade" in index
    has_guardians = any(s[0] in index for s in GUARDIAN_SLOTS)
    longest_no = student_editor().MAX_NO
    seen = 0
    for number, values in itertools.chain(head[header_at + 1:], rows):
        seen += 1
        if seen > MAX_ROWS:
            raise RosterFileError("too_many_rows", limit=f"{MAX_ROWS:,}")
        if progress is not None and seen % PROGRESS_EVERY == 0:
            progress(seen, max(total - header_row, seen))
        values = list(values[:width]) if len(values) >= width else \
            list(values) + [None] * (width - len(values))
        texts = [cell_text(v) for v in values]
        if not any(texts):
            blank_count += 1
            if len(blanks) < MAX_LISTED:
                blanks.append(number)
            continue
        if blank_count:  # blank rows count only between data rows, not at the end
            listed("skipped", ((b, "blank") for b in blanks))
            more["skipped"] += blank_count - len(blanks)
            blanks, blank_count = [], 0
        if norm_header(texts[name_at]) == header_norms[name_at] and sum(
                1 for t, h in zip(texts, header_norms) if h and norm_header(t) == h) >= 2:
            listed("skipped", [(number, "repeated_header")])
            continue
        parsed.rows_read += 1
        if len(parsed.preview) < PREVIEW_ROWS:
            parsed.preview.append((number, [cut_text(t, PREVIEW_CELL) for t in texts]))
        row = Row(number, values, index)
        record = read_row(row, number_field, flag_fields, has_class, has_guardians)
        if record is not None and record.student_no and len(record.student_no) <= longest_no:
            first = first_row.setdefault(record.student_no, number)
            if first != number:
                row.problem("student_no", "duplicate_number", str(first))
        if row.problems:
            parsed.problem_rows += 1
            listed("problems", row.problems)
        else:
            listed("fixes", row.fixes)
            chunk.append(record)
            parsed.record_count += 1
            if len(chunk) == RECORDS_PER_CHUNK:
                parsed._chunks.append(pack_records(chunk))
                chunk = []
    if chunk:
        parsed._chunks.append(pack_records(chunk))
    parsed.more = {k: v for k, v in more.items() if v}
    if progress is not None:
        progress(seen, seen)
    if not parsed.rows_read:
        raise RosterFileError("empty")
    return parsed




# --- csv and xlsx ---------------------------------------------------------------------


READ_SIZE = 1024 * 1024  # bytes decoded at a time


def _candidates(start: bytes) -> tuple[str, ...]:
    if start.startswith(b"\xef\xbb\xbf"):
        return ("utf-8-sig",)
    if start.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ("utf-16",)  # Excel's "Unicode text" (tab-separated)
    return ("utf-8", "gb18030")


def _scan_text(path: str) -> tuple[str, int]:
    """The text file's encoding and number of lines, read a block at a time
    (the whole file is never held): ``encoding`` when it is neither UTF-8 nor
    GBK, ``unreadable`` when it holds NUL characters (a binary file),
    ``empty`` when it holds nothing but whitespace."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(4)
            for encoding in _candidates(start):
                fh.seek(0)
                decoder = codecs.getincrementaldecoder(encoding)()
                lines = 0
                nul = content = False
                last = ""
                try:
                    while True:
                        block = fh.read(READ_SIZE)
                        text = decoder.decode(block, final=not block)
                        lines += text.count("\n")
                        nul = nul or "\x00" in text
                        content = content or bool(text.strip())
                        last = text[-1:] or last
                        if not block:
                            break
                except UnicodeDecodeError:
                    continue
                if nul:
                    raise RosterFileError("unreadable")
                if not content:
                    raise RosterFileError("empty")
                return encoding, lines + (0 if last == "\n" else 1)
    except OSError:
        raise RosterFileError("unreadable") from None
    raise RosterFileError("encoding")


def _delimiter(lines: list[str]) -> str:
    sample = "\n".join(lines)
    best, width = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            continue
        most = max((len(r) for r in rows), default=0)
        if most > width:
            best, width = delimiter, most
    return best


def read_csv(path: str, mapping, progress) -> ParsedFile:
    """Row by row: the memory it takes does not grow with the file (only what
    ``_parse`` keeps: the packed records and the first problems)."""
    encoding, total = _scan_text(path)
    try:
        with open(path, encoding=encoding, newline="") as fh:
            first: list[str] = []  # the lines the delimiter is told from: 1 MB at most
            while len(first) < HEADER_SCAN + 10 and sum(map(len, first)) < MAX_TEXT_RUN:
                if not (line := fh.readline(MAX_TEXT_RUN)):
                    break
                first.append(line)
        sample = "".join(first).splitlines()[:HEADER_SCAN + 10]
        fh = open(path, encoding=encoding, newline="")
    except OSError:
        raise RosterFileError("unreadable") from None
    with fh:
        skip = 0
        first_line = sample[0].strip() if sample else ""
        if first_line.lower().startswith("sep=") and len(first_line) == 5:
            delimiter, skip = first_line[4], 1
        else:
            delimiter = _delimiter(sample)

        def lines():  # one line of the file at a time, never longer than MAX_TEXT_RUN
            while line := fh.readline(MAX_TEXT_RUN + 1):
                if len(line) > MAX_TEXT_RUN:
                    raise RosterFileError("cell_too_long", size=_mb(MAX_TEXT_RUN))
                yield line

        reader = csv.reader(lines(), delimiter=delimiter)

        def numbered():
            line = 0
            try:
                for values in reader:
                    start, line = line + 1, reader.line_num
                    if start > skip:
                        yield start, values
            except (csv.Error, UnicodeDecodeError, OSError):
                raise RosterFileError("unreadable") from None

        rows = numbered()
        head = list(itertools.islice(rows, HEADER_SCAN))
        header_at, texts = _find_header(head, mapping)
        meta = {"path": path, "kind": "csv", "encoding": encoding, "sheet": ""}
        return _parse(rows, head, header_at, texts, mapping, meta, total, progress)


def _mb(size: int) -> str:
    return f"{size / MIB:,.0f}" if size >= 10 * MIB else f"{size / MIB:,.1f}"


def _check_workbook(path: str) -> None:
    """Refuse a workbook that would unpack to more than the limits, from the
    sizes its zip directory declares, before anything is unpacked (zipfile
    never unpacks a part beyond its declared size: it stops with an error).
    Worksheets are streamed, so only all the parts together count for them;
    every other part (the shared strings, styles …) is read whole by
    openpyxl and has a limit of its own."""
    import zipfile
    from xml.etree.ElementTree import ParseError, fromstring

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > XLSX_MAX_UNPACKED:
                raise RosterFileError("too_big", size=_mb(total), limit=_mb(XLSX_MAX_UNPACKED))
            streamed: set[str] = set()
            texts: set[str] = set()
            types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
            if types is not None and types.file_size <= XLSX_MAX_PART:
                overrides = [(e.get("PartName", ""), e.get("ContentType"))
                             for e in fromstring(archive.read(types)) if e.tag.endswith("Override")]
                streamed = {name.lstrip("/") for name, kind in overrides
                            if kind == _WORKSHEET_TYPE and name.startswith("/xl/worksheets/")
                            and name.endswith(".xml")}
                texts = {name.lstrip("/") for name, kind in overrides
                         if kind == _SHARED_STRINGS_TYPE}
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, ParseError, KeyError):
        raise RosterFileError("unreadable") from None
    for info in infos:
        if info.filename not in streamed and info.file_size > XLSX_MAX_PART:
            raise RosterFileError("too_big_part", size=_mb(info.file_size),
                                  limit=_mb(XLSX_MAX_PART))
    _scan_parts(path, [i for i in infos if i.filename in streamed],
                [i for i in infos if i.filename in texts])


_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")  # <x:c …> (a namespace prefix)


def _cell_tags(data: bytes, end: int) -> int:
    count = (data.count(b"<c ", 0, end) + data.count(b"<c>", 0, end)
             + data.count(b"<c/>", 0, end) + data.count(b"<c\t", 0, end)
             + data.count(b"<c\n", 0, end) + data.count(b"<c\r", 0, end))
    if data.find(b":c", 0, end) >= 0:
        count += len(_PREFIXED_CELL.findall(data, 0, end))
    return count


def _scan_parts(path: str, sheets, texts) -> None:
    """Count the cell tags of each sheet, a block at a time (memory stays
    flat; seconds for the largest sheet the size limit lets through, where
    parsing it would take minutes), and refuse a sheet of more than
    ``XLSX_MAX_CELLS`` cells. In the sheets and the shared strings
    (``texts``), a run of text longer than ``MAX_TEXT_RUN`` is refused too:
    no roster value comes near it (a spreadsheet cell holds at most 32,767
    characters), and a reader would hold all of it at once."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for info, count in [(i, True) for i in sheets] + [(i, False) for i in texts]:
                cells, tail = 0, b""
                with archive.open(info) as part:
                    while block := part.read(READ_SIZE):
                        data = tail + block
                        cut = data.rfind(b"<")
                        if cut <= 0 and len(data) > MAX_TEXT_RUN:
                            raise RosterFileError("cell_too_long", size=_mb(MAX_TEXT_RUN))
                        cut = len(data) if cut < 0 else cut
                        if count:
                            cells += _cell_tags(data, cut)
                        tail = data[cut:]
                        if cells > XLSX_MAX_CELLS:
                            raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
                    cells += _cell_tags(tail, len(tail)) if count else 0
                if cells > XLSX_MAX_CELLS:
                    raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError):
        raise RosterFileError("unreadable") from None


def read_xlsx(path: str, mapping, sheet, progress) -> ParsedFile:
    import zipfile
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    broken = (zipfile.BadZipFile, KeyError, OSError, EOFError, ValueError, ParseError,
              IndexError, AttributeError, InvalidFileException)
    _check_workbook(path)
    # a file object: openpyxl would refuse a path whose name does not end in .xlsx
    handle = open(path, "rb")
    try:
        book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except broken:
        handle.close()
        raise RosterFileError("unreadable") from None

    def guarded(rows):
        cells = 0
        try:
            for number, values in enumerate(rows, start=1):
                cells += len(values)
                if cells > XLSX_MAX_CELLS:
                    raise RosterFileError("too_many_cells", limit=f"{XLSX_MAX_CELLS:,}")
                yield number, values
        except broken:
            raise RosterFileError("unreadable") from None

    try:
        if sheet is not None:
            if sheet not in book.sheetnames:
                raise RosterFileError("sheet", sheet=sheet)
            sheets = [book[sheet]]
        else:
            sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
        errors: list[RosterFileError] = []
        for ws in sheets:
            total = ws.max_row or 0
            ws.reset_dimensions()  # some exporters write a wrong size
            rows = guarded(ws.iter_rows(values_only=True))
            head = list(itertools.islice(rows, HEADER_SCAN))
            try:
                header_at, texts = _find_header(head, mapping)
            except RosterFileError as exc:
                errors.append(exc)
                continue
            meta = {"path": path, "kind": "xlsx", "encoding": "", "sheet": ws.title}
            return _parse(rows, head, header_at, texts, mapping, meta, total, progress)
        for code in ("no_name", "no_header"):
            for err in errors:
                if err.code == code:
                    raise err
        raise RosterFileError("empty")
    finally:
        book.close()
        handle.close()


# --- any table (the survey import: db.survey_file) ----------------------------------------


def read_table(path: str, max_rows: int = 20_000) -> list[tuple[int, list]]:
    """Every row of a .csv or of an .xlsx's first sheet (told apart by their
    content) as ``(row number as the user sees it, raw cell values)``, with the
    roster's encodings, delimiters and limits; RosterFileError when it cannot be used."""
    try:
        with open(path, "rb") as fh:
            workbook = fh.read(4) == b"PK\x03\x04"
    except OSError:
        raise RosterFileError("unreadable") from None
    rows: list[tuple[int, list]] = []
    if workbook:
        import zipfile
        from xml.etree.ElementTree import ParseError

        import openpyxl

        _check_workbook(path)
        try:
            with open(path, "rb") as handle:
                book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
                try:
                    sheet = next((ws for ws in book.worksheets if hasattr(ws, "iter_rows")), None)
                    if sheet is not None:
                        sheet.reset_dimensions()
                        for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                            if number > max_rows:
                                raise RosterFileError("too_many_rows", limit=f"{max_rows:,}")
                            rows.append((number, list(values)))
                finally:
                    book.close()
        except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError, IndexError,
                AttributeError, ParseError):  # a damaged workbook (openpyxl's own errors too)
            raise RosterFileError("unreadable") from None
    else:
        encoding, _ = _scan_text(path)
        try:
            with open(path, encoding=encoding, newline="") as fh:
                text, more = fh.read(MAX_TEXT_RUN * 4), fh.read(1)
        except (OSError, UnicodeDecodeError):
            raise RosterFileError("unreadable") from None
        if more:
            raise RosterFileError("too_big", size=_mb(len(text)), limit=_mb(MAX_TEXT_RUN * 4))
        try:
            parsed = csv.reader(io.StringIO(text),
                                delimiter=_delimiter(text.splitlines()[:HEADER_SCAN + 10]))
            for values in parsed:
                if parsed.line_num > max_rows:
                    raise RosterFileError("too_many_rows", limit=f"{max_rows:,}")
                rows.append((parsed.line_num, values))
        except csv.Error:
            raise RosterFileError("unreadable") from None
    if not any(cell_text(v) for _, values in rows for v in values):
        raise RosterFileError("empty")
    return rows
