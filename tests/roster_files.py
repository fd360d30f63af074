"""Roster files for tests: registry-style .xlsx/.csv full of the usual traps.

Not a test module: ``tests/test_roster_file.py`` (the reader) and the database
import tests build their files here, so both agree on which row holds which
trap. Every builder writes into the path it is given and returns it.

The registry files (``registry_xlsx``, ``registry_csv``) have the same rows:

====  ==========================================================================
row   content (xlsx / csv where they differ)        → what ``read_roster`` says
====  ==========================================================================
1     title 「XX县第一中学2026年秋季学生名册」,            (above the header)
      merged A1:Q1 in the xlsx
2     blank                                         (above the header)
3     「制表日期：2026年9月1日」 in A3 only             (above the header)
4     HEADER: the registry's names, with "姓名*",    header_row = 4;
      "学号（必填）" and "联系　电话" (U+3000)          id_column = "身份证件号"
5     张伟: a clean row                              record 7-3, 20250301
6     王磊: gender 1; birth 20120516 as a number;    xlsx: Fix number_cell on
      学号 20250302 and phone 13820250302 as number  student_no and phone;
      cells / csv: phone "13820250302.0";           csv: Fix trailing_zero phone;
      身份证件号 330105201205160302 as a number /      (id mapped: Problem
      "3.30105E+17"; 监护人关系 父子                    digits_lost id_number)
7     刘洋: gender 2; birth 20120607.0 (number /     xlsx: Fix number_cell phone;
      "20120607.0"); 年级 初一, 班级 （3）班; phone   csv: Fix trailing_zero
      13820250303.0 (number) / "1.3820250303E+10"   birth_date, Fix scientific phone
8     陈晨: phone "1.38E+10" (text in both)          Problem digits_lost phone
9     王芳: name 「王　芳」 (U+3000); 学号 and phone     Fix spaces name, Fix full_width
      in full-width digits                          student_no and phone
10    李娜: name "\\xa0李 娜 ", 学号 " 20250306\\xa0",  Fix spaces on name, student_no,
      phone "138 2025 0306", 监护人 「李 建国」         phone, guardian1_name
      (the GBK csv has ordinary spaces for U+00A0)
11    blank                                         skipped "blank"
12    the header again (plain names)                skipped "repeated_header"
13    赵敏: phone "13820250307／13920250307",        Fix several_phones phone;
      班级 七年级(4)班                                record 7-4
14    孙丽: phone "138202503"                        Problem bad_phone phone
15    周杰: birth "20121345"                         Problem bad_date
16    吴昊: birth 2030-01-01 (date cell / 2030/1/1)  Problem bad_date (future)
17    郑爽: birth "19850601"                         Problem bad_date (before 1990)
18    冯涛: gender 「未知」                             Problem bad_gender
19    no name (number 20250313)                     Problem missing_name
20    何静: 班级 「火箭班」                              Problem bad_class (class)
21    许鹏: 年级 七年级, 班级 八年级(2)班                Problem class_grade_mismatch
22    马超: 学号 blank                                Problem missing_number
23    朱琳: 学号 20250301 again (row 5's)             Problem duplicate_number "5"
24    胡斌: 是否孤儿 「不详」                            Problem bad_flag orphan
25    郭佳: no grade, 班级 初一(4)班; 留守 "2"; 随迁 "1"; record 7-4, left_behind_both,
      only 监护人 刘桂兰 奶奶 0571-88886666, no phone   migrant; one guardian,
                                                    grandmother, 057188886666
26    林峰: 留守 「是」; no grade, 班级 "703"            Fix left_behind_assumed;
                                                    record 7-3
27    高洁: 班级 a date cell 2026-07-03 (Excel's      xlsx: Fix date_cell class;
      "7-3") / "7-3"                                record 7-3
28    罗宇: 年级 9年级, 班级 (1)班; flags blank;        record 9-1 九年级(1)班,
      birth 2010.9.1; only 监护人 罗建华, no relation  flags {}; relation guardian
29    梁爽: 监护人联系电话 "1390000"                    Problem bad_phone guardian1_phone
30    宋雨: 身份证件号 "33010520120315" (14 digits);   record 7-4; (id mapped:
      班级 "7.4"                                     Problem bad_id_number)
31    韩雪: gender "F"; csv name has ESC [31m …      record 韩雪 (control
      ESC [0m around 雪                              characters removed silently)
32    唐宁: 学号 "20250325.0"; birth "201206";       Fix trailing_zero student_no,
      是否独生子女 "Y"                                  Fix month_only birth_date
====  ==========================================================================

Records (no mapping): rows 5 6 7 9 10 13 25 26 27 28 30 31 32; rows_read 26.
Every other data row has exactly the one Problem in the table. Row 5 has
the default family: 张建国 (father, 13920250301) and 李秀英 (mother,
13720250301), the 监护人 slot merged with the 父亲 slot; every row follows
that pattern unless the table says otherwise (surname = the student's).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass

TITLE = "XX县第一中学2026年秋季学生名册"
MADE_ON = "制表日期：2026年9月1日"

# the registry's column names (the reader's test of header recognition uses them)
REGISTRY_HEADERS = (
    "姓名", "性别", "出生日期", "年级", "班级", "学号", "班内学号", "学籍辅号", "身份证件号",
    "现住址", "联系电话", "是否留守儿童", "是否独生子女", "是否孤儿",
    "是否进城务工人员随迁子女", "监护人姓名", "监护人关系", "监护人联系电话",
    "父亲姓名", "父亲联系电话", "母亲姓名", "母亲联系电话",
)
# the header as written in row 4: a required marker, 必填, a full-width space
HEADER_ROW = tuple({"姓名": "姓名*", "学号": "学号（必填）", "联系电话": "联系\u3000电话"}.get(h, h)
                   for h in REGISTRY_HEADERS)
HEADER_AT = 4
FIRST_DATA_ROW = 5


@dataclass(frozen=True)
class Cell:
    """A value written differently to the xlsx (``xlsx``: a number, a date)
    and to the csv (``csv``: the text a spreadsheet would have saved)."""

    xlsx: object
    csv: str


def _good(name: str, no: str, class_no: int, **changes) -> dict:
    """A complete, clean registry row; ``changes`` override columns by header."""
    surname = name[:1] or "钱"
    tail = no[-8:]
    row = {
        "姓名": name, "性别": "男", "出生日期": Cell(dt.date(2012, 3, 15), "2012/3/15"),
        "年级": "七年级", "班级": "3班", "学号": no, "班内学号": class_no,
        "学籍辅号": f"FH{no[-4:]}", "身份证件号": f"33010520120315{no[-4:]}",
        "现住址": f"浙江省杭州市拱墅区湖墅南路{class_no}号", "联系电话": f"138{tail}",
        "是否留守儿童": "0", "是否独生子女": "是", "是否孤儿": "否",
        "是否进城务工人员随迁子女": "否",
        "监护人姓名": f"{surname}建国", "监护人关系": "父亲", "监护人联系电话": f"139{tail}",
        "父亲姓名": f"{surname}建国", "父亲联系电话": f"139{tail}",
        "母亲姓名": "李秀英", "母亲联系电话": f"137{tail}",
    }
    row.update(changes)
    return row


_NO_PARENTS = {"父亲姓名": "", "父亲联系电话": "", "母亲姓名": "", "母亲联系电话": ""}

TRAP_ROWS: list[dict] = [
    # 5: clean
    _good("张伟", "20250301", 1),
    # 6: numbers stored as numbers (xlsx) / "….0" (csv); gender code 1
    _good("王磊", "20250302", 2, 性别=Cell(1, "1"), 出生日期=Cell(20120516, "20120516"),
          班级="(3)班", 学号=Cell(20250302, "20250302"),
          身份证件号=Cell(330105201205160302, "3.30105E+17"),
          联系电话=Cell(13820250302, "13820250302.0"), 监护人关系="父子"),
    # 7: float cells / scientific text that still holds every digit; gender code 2
    _good("刘洋", "20250303", 3, 性别=Cell(2, "2"), 出生日期=Cell(20120607.0, "20120607.0"),
          年级="初一", 班级="（3）班", 联系电话=Cell(13820250303.0, "1.3820250303E+10"),
          监护人关系="爸爸"),
    # 8: digits lost to scientific notation
    _good("陈晨", "20250304", 4, 联系电话="1.38E+10", 出生日期="2012-08-09"),
    # 9: full-width digits, a full-width space in the name
    _good("王芳", "20250305", 5, 姓名="王\u3000芳", 性别="女", 出生日期="2012年9月10日",
          学号="２０２５０３０５", 联系电话="１３８２０２５０３０５"),
    # 10: stray spaces, non-breaking spaces
    _good("李娜", "20250306", 6, 姓名="\u00a0李 娜 ", 性别="女性", 学号=" 20250306\u00a0",
          联系电话="138 2025 0306", 监护人姓名="李 建国"),
    # 11: blank
    {},
    # 12: the header again
    {h: h for h in REGISTRY_HEADERS},
    # 13: two phones in one cell; another class
    _good("赵敏", "20250307", 7, 性别="女", 班级="七年级(4)班",
          联系电话="13820250307／13920250307"),
    # 14: a phone with too few digits
    _good("孙丽", "20250308", 8, 性别="女", 联系电话="138202503"),
    # 15-17: impossible, future, too early birth dates
    _good("周杰", "20250309", 9, 出生日期="20121345"),
    _good("吴昊", "20250310", 10, 出生日期=Cell(dt.date(2030, 1, 1), "2030/1/1")),
    _good("郑爽", "20250311", 11, 性别="女", 出生日期="19850601"),
    # 18: gender not understood
    _good("冯涛", "20250312", 12, 性别="未知"),
    # 19: no name
    _good("", "20250313", 13),
    # 20: class not understood
    _good("何静", "20250314", 14, 性别="女", 班级="火箭班"),
    # 21: class and grade disagree
    _good("许鹏", "20250315", 15, 班级="八年级(2)班"),
    # 22: no number
    _good("马超", "20250316", 16, 学号=""),
    # 23: row 5's number again
    _good("朱琳", "20250317", 17, 性别="女", 学号="20250301", 联系电话="13820250317"),
    # 24: a yes/no column holding something else
    _good("胡斌", "20250318", 18, 是否孤儿="不详"),
    # 25: both parents away, grandmother with a landline, migrant; class carries the grade
    _good("郭佳", "20250319", 19, 性别="女", 年级="", 班级="初一(4)班", 联系电话="",
          是否留守儿童="2", 是否独生子女="否", 是否进城务工人员随迁子女="1",
          监护人姓名="刘桂兰", 监护人关系="奶奶", 监护人联系电话="0571-88886666",
          **_NO_PARENTS),
    # 26: 是 without detail; class 703
    _good("林峰", "20250320", 20, 是否留守儿童="是", 年级="", 班级="703"),
    # 27: Excel turned the class 7-3 into a date
    _good("高洁", "20250321", 21, 性别="女", 班级=Cell(dt.datetime(2026, 7, 3), "7-3")),
    # 28: grade 9; flags unknown; guardian without relation
    _good("罗宇", "20250322", 22, 年级="9年级", 班级="(1)班", 出生日期="2010.9.1",
          是否留守儿童="", 是否独生子女="", 是否孤儿="", 是否进城务工人员随迁子女="",
          监护人姓名="罗建华", 监护人关系="", **_NO_PARENTS),
    # 29: the guardian's phone is wrong
    _good("梁爽", "20250323", 23, 性别="女", 监护人联系电话="1390000"),
    # 30: a 14-digit identity number (only a problem when mapped); class 7.4
    _good("宋雨", "20250324", 24, 性别="女", 身份证件号="33010520120315", 班级="7.4"),
    # 31: control characters in the csv
    _good("韩雪", "20250325", 25, 性别="F", 姓名=Cell("韩雪", "韩\x1b[31m雪\x1b[0m")),
    # 32: "….0" number text, a birth month only, Y for yes
    _good("唐宁", "20250326", 26, 学号="20250326.0", 出生日期="201206", 是否独生子女="Y"),
]


def _xlsx_value(value):
    return value.xlsx if isinstance(value, Cell) else value


def _csv_value(value) -> str:
    if isinstance(value, Cell):
        return value.csv
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return f"{value.year}/{value.month}/{value.day}"
    return str(value)


def _lines(rows, headers, header_row, convert) -> list[list]:
    out = [[TITLE] + [None] * (len(headers) - 1), [None] * len(headers),
           [MADE_ON] + [None] * (len(headers) - 1), list(header_row)]
    for row in rows:
        out.append([convert(row.get(h)) for h in headers])
    return out


def registry_xlsx(path, rows=None, sheet: str = "学生信息"):
    """The registry export as .xlsx: see the module's table for every row.

    Rows 1-3: title (merged A1:Q1), blank, 制表日期; row 4 the header
    (``HEADER_ROW``); ``rows`` (default ``TRAP_ROWS``: dicts keyed by
    ``REGISTRY_HEADERS``, values as cells: numbers, dates or ``Cell``) from
    row 5, row n = ``rows[n - 5]``. One sheet, named ``sheet``.
    """
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for line in _lines(TRAP_ROWS if rows is None else rows, REGISTRY_HEADERS, HEADER_ROW,
                       _xlsx_value):
        ws.append(line)
    ws.merge_cells("A1:Q1")
    book.save(path)
    return path


def registry_csv(path, encoding: str = "utf-8", rows=None):
    """The registry export saved as CSV ("utf-8", "utf-8-sig" or "gbk"): the
    same rows as ``registry_xlsx`` (see the module's table), with the text a
    spreadsheet saves: numbers as "13820250302.0" or "1.3820250303E+10" where
    the table says so, dates as 2012/3/15. In GBK a non-breaking space cannot
    be written: it becomes an ordinary space (the rows keep their traps)."""
    lines = _lines(TRAP_ROWS if rows is None else rows, REGISTRY_HEADERS, HEADER_ROW,
                   _csv_value)
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        for line in lines:
            cells = ["" if c is None else c for c in line]
            if encoding.lower().replace("-", "") in ("gbk", "gb2312"):
                cells = [c.replace("\u00a0", " ") for c in cells]
            writer.writerow(cells)
    return path


CLASS_LIST_HEADERS = ("Name", "Gender", "Class", "Student No", "Phone", "Guardian Name",
                      "Guardian Phone")
CLASS_LIST_ROWS = [
    # line 2: a Latin name with a double space → Fix spaces; 7-3
    ("Li  Ming", "M", "7-3", "S001", "13800000001", "Li Hua", "13900000001"),
    # line 3: 7.3; guardian without phone
    ("王小红", "F", "7.3", "S002", "13800000002", "王强", ""),
    # line 4: 703; phone with dashes (silently 13800000003)
    ("陈刚", "male", "703", "S003", "138-0000-0003", "陈大山", "13900000003"),
    # line 5: "Grade 7 (3)"; no guardian
    ("Anna Smith", "female", "Grade 7 (3)", "S004", "13800000004", "", ""),
    # line 6: gender X → Problem bad_gender
    ("赵六", "X", "7-3", "S005", "13800000005", "赵大", "13900000005"),
    # line 7: S001 again → Problem duplicate_number "2"
    ("孙七", "M", "7-3", "S001", "13800000007", "孙大", "13900000007"),
]


def class_list_csv(path, encoding: str = "utf-8", rows=None):
    """A teacher's class list with English headers (``CLASS_LIST_HEADERS``),
    header on line 1, data from line 2 (see ``CLASS_LIST_ROWS`` for each line's
    trap): records on lines 2-5, all class 7-3, guardians with relation
    "guardian"; line 6 bad_gender, line 7 duplicate_number "2"."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(CLASS_LIST_HEADERS)
        writer.writerows(CLASS_LIST_ROWS if rows is None else rows)
    return path


BIG_HEADERS = ("姓名", "性别", "出生日期", "年级", "班级", "学号", "联系电话",
               "监护人姓名", "监护人关系", "监护人联系电话")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超")


def big_csv(path, n: int = 5000, encoding: str = "utf-8-sig"):
    """``n`` clean rows (header on line 1, student i on line i + 2): grades
    7-9, classes 1-10, numbers 2025000001…, every row imports."""
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(BIG_HEADERS)
        for i in range(n):
            surname = _SURNAMES[i % len(_SURNAMES)]
            name = surname + _GIVEN[i % len(_GIVEN)] + _GIVEN[(i // 7) % len(_GIVEN)]
            grade, cls = 7 + i % 3, 1 + (i // 3) % 10
            writer.writerow((name, "男" if i % 2 else "女",
                             f"{2010 + i % 3}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                             f"{grade}年级", f"{cls}班", f"2025{i + 1:06d}",
                             f"138{i:08d}", surname + "建国", "父亲", f"139{i:08d}"))
    return path


# --- workbooks that unpack to far more than they weigh ---------------------------------------

_SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_HEADER_CELLS = ('<c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
                 '<c r="B1" t="inlineStr"><is><t>学号</t></is></c>')


def _stream(archive, name: str, pieces) -> None:
    """Write the part ``name`` from an iterable of str pieces (never whole in memory)."""
    import zipfile

    info = zipfile.ZipInfo(name, date_time=(2026, 9, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out:
        for piece in pieces:
            out.write(piece.encode())


def bomb_xlsx(path, *, rows: int = 0, cells_per_row: int = 1, cell: str = "<c><v>1</v></c>",
              big_cell: int = 0, shared_string: int = 0, last_row: int = 0):
    """A real .xlsx (one sheet 学生信息, header 姓名 学号 on row 1) that weighs
    little and unpacks to a lot, built part by part without ever holding a
    part in memory:

    - ``rows`` rows of ``cells_per_row`` identical ``cell`` each (millions of
      cells compress about 1000:1);
    - ``big_cell``: row 2 holds one inline text cell of that many "A"s;
    - ``shared_string``: the shared strings part holds one string of that many
      "A"s (cell B2 points at it);
    - ``last_row``: an empty row numbered ``last_row`` ends the sheet (a reader
      that fills the gap yields every row in between).
    """
    import zipfile

    def sheet():
        yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_SHEET_NS}"><sheetData>'
        yield f'<row r="1">{_HEADER_CELLS}</row>'
        if big_cell:
            yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
            for done in range(0, big_cell, 1 << 20):
                yield "A" * min(1 << 20, big_cell - done)
            yield '</t></is></c><c r="B2"><v>1</v></c></row>'
        if shared_string:
            yield '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>'
        line = "<row>" + cell * cells_per_row + "</row>"
        for start in range(0, rows, 1000):
            yield line * min(1000, rows - start)
        if last_row:
            yield f'<row r="{last_row}"/>'
        yield "</sheetData></worksheet>"

    def strings():
        yield (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_SHEET_NS}" count="1" '
               'uniqueCount="1"><si><t>')
        for done in range(0, shared_string, 1 << 20):
            yield "A" * min(1 << 20, shared_string - done)
        yield "</t></si></sst>"

    overrides = ('<Override PartName="/xl/workbook.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
                 'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>')
    rels = (f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>')
    if shared_string:
        overrides += ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                      'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        rels += (f'<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" '
                 'Target="sharedStrings.xml"/>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT_NS}">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'{overrides}</Types>'))
        archive.writestr("_rels/.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL_NS}">'
            f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_SHEET_NS}" '
            f'xmlns:r="{_REL_NS}"><sheets><sheet name="学生信息" sheetId="1" r:id="rId1"/>'
            '</sheets></workbook>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_REL_NS}">'
            f'{rels}</Relationships>'))
        _stream(archive, "xl/worksheets/sheet1.xml", sheet())
        if shared_string:
            _stream(archive, "xl/sharedStrings.xml", strings())
    return path
