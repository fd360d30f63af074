"""The command line's terminal edges (issue 19): the PIN without a terminal or
with stdin a pipe, ``TERM=dumb``, ``--help`` in 80 columns, refused choices that
list the accepted ones, and ``bangfu show``'s family phone and wrapping.

The terminal tests use a real pty as the command's controlling terminal (a new
session opens it), and write bytes as a terminal sends them.  Every wait is
for output, with a deadline that only ever fails a test."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time

import pytest
from rich.cells import cell_len

from db import accounts
from db.models import Case, Contact, Staff, Student
from tests.conftest import PIN_HASH
from tests.helpers import ROOT, cli_env, run_cli
from tui import i18n

DEADLINE = 60.0  # seconds; reaching it is a failure, never a timing
CLI = [sys.executable, "-m", "tui.cli"]


@pytest.fixture
def env(tmp_path, local_state):
    return cli_env(tmp_path, local_state)


def one_line_error(proc, status: int = 2) -> str:
    assert proc.returncode == status, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bangfu: "), proc.stderr
    return lines[0]


# -- a real terminal -----------------------------------------------------------------------------

class Pty:
    """A pty whose slave becomes the controlling terminal of the process
    started with ``popen`` (a new session's leader opens it).  The test keeps
    the slave open while the process runs, so the terminal stays up even while
    the process has no file open on it (stdin and stdout pipes)."""

    def __init__(self):
        import fcntl
        import struct
        import termios

        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.slave_name = os.ttyname(self.slave)
        self.seen = bytearray()  # everything written to the terminal
        self.proc = None

    def popen(self, args, env, **streams) -> subprocess.Popen:
        """``bangfu ARGS``; a stream given as "tty" is the terminal itself."""
        name = self.slave_name

        def own_terminal():  # (in the child, after setsid: the pty becomes its terminal)
            os.close(os.open(name, os.O_RDWR))

        for key in ("stdin", "stdout", "stderr"):
            if streams.get(key) == "tty":
                streams[key] = self.slave
        self.proc = subprocess.Popen(CLI + [str(a) for a in args], env=env, cwd=ROOT,
                                     start_new_session=True, preexec_fn=own_terminal, **streams)
        return self.proc

    def _take(self, timeout: float) -> bool:
        """What the terminal shows within ``timeout``; False once it is closed."""
        if not select.select([self.master], [], [], timeout)[0]:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # closed: nothing more will come
            return False
        self.seen += chunk
        return bool(chunk)

    def read_until(self, done) -> bytes:
        """Read what the terminal shows until ``done(bytes so far)``, or the
        process has exited and all it wrote is read; the bytes."""
        end = time.monotonic() + DEADLINE
        while not done(bytes(self.seen)):
            if self.proc.poll() is not None:
                return self.until_closed()
            left = end - time.monotonic()
            assert left > 0, f"the terminal never showed it; it shows {bytes(self.seen)!r}"
            self._take(min(left, 0.05))  # (and look again whether the process is there)
        return bytes(self.seen)

    def until_closed(self) -> bytes:
        """Everything the terminal showed (the process has exited)."""
        self.proc.wait(timeout=DEADLINE)
        if self.slave is not None:
            os.close(self.slave)
            self.slave = None
        end = time.monotonic() + DEADLINE
        while self._take(max(end - time.monotonic(), 0)):
            assert time.monotonic() < end, "the terminal stayed open"
        return bytes(self.seen)

    def type(self, text: str) -> None:
        """Keys as a terminal sends them: Enter is a carriage return."""
        os.write(self.master, text.replace("\n", "\r").encode())

    def close(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        if self.slave is not None:
            os.close(self.slave)
        os.close(self.master)


def stderr_until(proc, needle: str) -> str:
    """What ``proc`` wrote on stderr (a pipe) until ``needle`` was in it."""
    got = bytearray()
    end = time.monotonic() + DEADLINE
    fd = proc.stderr.fileno()
    while needle.encode() not in got:
        left = end - time.monotonic()
        assert left > 0, f"stderr never said {needle!r}; it said {bytes(got)!r}"
        assert proc.poll() is None or select.select([fd], [], [], 0)[0], bytes(got)
        if select.select([fd], [], [], left)[0]:
            chunk = os.read(fd, 65536)
            assert chunk, f"stderr closed without {needle!r}: {bytes(got)!r}"
            got += chunk
    return got.decode("utf-8", errors="replace")


def finish(proc) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"still running after {DEADLINE} s: {err!r}")
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


# -- 1. the PIN: at the terminal even when stdin is a pipe; else where it is read from ---------

def test_a_pin_typed_at_the_terminal_when_stdin_is_a_pipe_is_asked_there_and_not_echoed(
        school, env):
    """Before: stdin a pipe meant "read its first line": the command waited on
    the pipe with no prompt, and the PIN typed at the terminal was echoed."""
    tty = Pty()
    try:
        proc = tty.popen(["--db", school.path, "find", "zw", "--as", "王芳"], env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        tty.read_until(lambda seen: "PIN for 王芳: ".encode() in seen)
        tty.type("1234\n")
        status, out, err = finish(proc)  # (stdin stayed an empty pipe until here)
        shown = tty.until_closed()
    finally:
        tty.close()
    assert status == 0, err
    assert err == ""
    assert "张伟" in out and "Students found: 3" in out
    assert b"1234" not in shown  # not echoed
    assert shown.decode().startswith("PIN for 王芳: ")


def test_a_pin_file_is_read_without_a_prompt_at_the_terminal(school, env, tmp_path):
    """Scripts go on working at a terminal: ``bangfu find … < pinfile``."""
    pinfile = tmp_path / "pin"
    pinfile.write_text("1234\n")
    tty = Pty()
    try:
        with pinfile.open("rb") as stdin:
            proc = tty.popen(["--db", school.path, "find", "zw", "--as", "王芳"], env,
                             stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            status, out, err = finish(proc)
        shown = tty.until_closed()
    finally:
        tty.close()
    assert status == 0, err
    assert "Students found: 3" in out and err == ""
    assert shown == b""  # nothing asked, nothing shown


@pytest.mark.parametrize("lang, says", [
    ("en", "No terminal: reading the PIN for 王芳 from the next line of standard input "
           "(what is typed there is not hidden)"),
    ("zh", "没有终端：从标准输入的下一行读取 王芳 的 PIN（在那里输入的内容不会隐藏）"),
])
def test_without_a_terminal_stderr_says_where_the_pin_is_read_before_waiting(
        school, env, lang, says):
    """``ssh host 'bangfu find zw --as 王芳'`` (no -t): no terminal at all.
    Before: it waited in silence, and the PIN typed stayed in the scrollback
    without the person knowing where it went."""
    proc = subprocess.Popen(CLI + ["--db", str(school.path), "--lang", lang, "find", "zw",
                                   "--as", "王芳"], env=env, cwd=ROOT, start_new_session=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        said = stderr_until(proc, says)  # nothing written to stdin yet
        proc.stdin.write(b"1234\n")
        status, out, err = finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert status == 0, said + err
    assert "张伟" in out
    assert len((said + err).strip().splitlines()) == 1


def test_a_new_pin_is_typed_twice_at_the_terminal_with_stdin_a_pipe(school, env):
    """``bangfu staff pin``: the PIN, then the new one twice, all at the terminal
    (the same reading as the PIN's: ``tui.cli_terminal.read_secret``)."""
    tty = Pty()
    try:
        proc = tty.popen(["--db", school.path, "staff", "pin", "李建国"], env,
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for prompt, typed in (("PIN for 李建国: ", "1234"), ("New PIN for 李建国: ", "8642"),
                              ("The same PIN again: ", "8642")):
            tty.read_until(lambda seen, prompt=prompt: prompt.encode() in seen)
            tty.type(typed + "\n")
        status, out, err = finish(proc)
        shown = tty.until_closed()
    finally:
        tty.close()
    assert status == 0, err
    assert "Your new PIN is set." in out
    assert b"1234" not in shown and b"8642" not in shown
    assert accounts.pin_matches("8642", Staff.get(Staff.name == "李建国").pin_hash)


# -- 2. TERM=dumb ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang, says", [
    ("en", "This terminal (TERM=dumb) cannot show the app; use the commands instead: "
           "bangfu --help"),
    ("zh", "此终端（TERM=dumb）无法显示应用；请改用命令：bangfu --help"),
])
def test_term_dumb_refuses_the_app_in_one_line_without_escape_codes(school, env, lang, says):
    """Before: the app drew itself with escape codes a dumb terminal shows as
    garbage (an editor's shell, a serial console)."""
    tty = Pty()
    try:
        proc = tty.popen(["--db", school.path, "--lang", lang], dict(env, TERM="dumb"),
                         stdin="tty", stdout="tty", stderr="tty")
        shown = tty.read_until(lambda seen: b"\x1b" in seen)  # (or until it exits)
    finally:
        tty.close()  # (the app, had it started, is ended here)
    text = shown.decode("utf-8", errors="replace")
    assert "\x1b" not in text, text[:300]
    assert proc.returncode == 2
    assert text.strip().splitlines() == [f"bangfu: {says}"]


# -- 3. --help fits 80 columns, in both languages ------------------------------------------------

def commands() -> list[str]:
    from tui.cli.entry import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return list(sub.choices)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_help_fits_80_columns(env, lang):
    """Before: argparse wraps by characters, and a Chinese character takes two
    cells (`bangfu --lang zh --help`: lines of up to 114 cells); `bangfu staff
    --help` had a usage line of 91 columns in English too."""
    env = dict(env, COLUMNS="80")
    wide = []
    for command in [None, *commands()]:
        argv = CLI + ["--lang", lang] + ([command] if command else []) + ["--help"]
        proc = subprocess.run(argv, capture_output=True, text=True, encoding="utf-8", env=env,
                              cwd=ROOT, timeout=DEADLINE, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.count("\n") > 3
        wide += [f"{command}: {cell_len(line)}: {line}" for line in proc.stdout.splitlines()
                 if cell_len(line) > 80]
    assert not wide, "\n".join(wide)


def test_help_wrapping_keeps_every_word():
    from tui.cli.terminal import wrap_cells

    text = ("posix（单机或可靠的锁）或 dotfile（网络共享盘）；否则取 BANGFU_LOCKING、配置文件 "
            "or a long English sentence that goes on")
    for width in range(8, 60):  # (narrower, a cluster like "盘）；" must be cut)
        lines = wrap_cells(text, width)
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.startswith(("，", "）", "；", "、")) for line in lines), lines
        assert not any(line.endswith("（") for line in lines), lines


# -- 4. a refused choice lists the accepted values, in the interface language --------------------

def test_a_chinese_label_is_taken_for_its_code(school, env):
    """A Chinese teacher types the word they see: 家长, 电话."""
    before = Contact.select().count()
    proc = run_cli(env, "--lang", "zh", "log", "20240101", "--kind", "家长", "--channel", "家访",
                   "--restricted", "心理辅导", "--text", "谈了作业", "--as", "王芳",
                   db=school.path)
    assert proc.returncode == 0, proc.stderr
    row = Contact.get(Contact.uuid == proc.stdout.strip())
    assert (row.kind, row.channel, row.restricted) == ("family", "home_visit", "counselling")
    assert Contact.select().count() == before + 1
    proc = run_cli(env, "log", "20240101", "--kind", "colleagues", "--channel", "face to face",
                   "--text", "talked", "--as", "王芳", db=school.path)
    assert proc.returncode == 0, proc.stderr
    row = Contact.get(Contact.uuid == proc.stdout.strip())
    assert (row.kind, row.channel) == ("colleague", "face")


# (arguments, the value refused, the accepted values; in Chinese with their labels)
CHOICES = [
    (("log", "20240101", "--text", "x", "--kind", "{bad}"), "--kind",
     ["family（家长）", "student（学生）", "colleague（同事）", "f/s/c"]),
    (("log", "20240101", "--text", "x", "--channel", "{bad}"), "--channel",
     ["phone（电话）", "wechat（微信）", "home_visit（家访）", "group_chat（群聊）", "p/w/s/f/h/m/g/o"]),
    (("log", "20240101", "--text", "x", "--restricted", "{bad}"), "--restricted",
     ["counselling（心理辅导）", "family_conflict（家庭矛盾）", "referral（转介）"]),
    (("rules", "add", "visits", "--every", "7", "--kind", "{bad}"), "--kind",
     ["family（家长）", "colleague（同事）"]),
    (("rules", "add", "visits", "--every", "7", "--channel", "{bad}"), "--channel",
     ["home_visit（家访）", "other（其他）"]),
    (("staff", "add", "某人", "--role", "{bad}"), "--role",
     ["admin（管理员）", "class_teacher（班主任）", "teacher（教师）", "volunteer（志愿者）"]),
    (("rules", "{bad}"), "action", ["list", "set", "add", "remove", "reset", "review-days"]),
    (("report", "{bad}"), "kind", ["weekly", "term"]),
    (("report", "weekly", "--format", "{bad}"), "--format", ["xlsx", "csv", "md"]),
    (("show", "20240101", "--format", "{bad}"), "--format", ["text", "md"]),
    (("term", "{bad}"), "action", ["list", "add"]),
    (("keys", "{bad}"), "action", ["status", "setup", "recover", "new-code"]),
    (("staff", "{bad}"), "action", ["list", "add", "reset-pin", "pin"]),
    (("export", "{bad}"), "what", ["students", "cases", "contacts"]),
    (("import", "{bad}", "x.csv"), "what", ["roster"]),
    (("audit", "--format", "{bad}"), "--format", ["csv", "md", "xlsx"]),
    (("set-locking", "{bad}"), "mode", ["posix", "dotfile"]),
    (("find", "x", "--locking", "{bad}"), "--locking", ["posix", "dotfile"]),
    (("{bad}",), "COMMAND", ["find", "show", "log", "due", "staff", "keys"]),
]


@pytest.mark.parametrize("args, option, accepted", CHOICES,
                         ids=[f"{c[0][0]}-{c[1]}" for c in CHOICES])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_choice_lists_the_accepted_values(school, env, args, option, accepted, lang):
    """Before: `--lang zh log --kind 家长` said only "Invalid 对象: 请从列出的
    选项中选择。" — listed where?  Now every choice-like option names what it
    takes, in the interface language, before the PIN is asked or the file opened."""
    before = Contact.select().count()
    bad = "家政"  # nothing's code or label
    argv = [a.replace("{bad}", bad) for a in args]
    line = one_line_error(run_cli(env, "--lang", lang, *argv, "--as", "王芳", db=school.path,
                                  pin=None))
    assert option in line and bad in line
    for value in accepted:
        if lang == "en":
            value = value.split("（")[0]
        assert value in line, line
    assert ("可选" in line) == (lang == "zh")
    assert ("invalid choice" in line) == (lang == "en")
    assert "(choose from" not in line
    assert Contact.select().count() == before


@pytest.mark.parametrize("lang, says", [("en", "'many' is not a whole number"),
                                        ("zh", "'many' 不是整数")])
def test_a_number_option_says_what_it_needs_without_python_words(school, env, lang, says):
    line = one_line_error(run_cli(env, "--lang", lang, "find", "zw", "--limit", "many",
                                  db=school.path, pin=None))
    assert says in line and "invalid int" not in line


@pytest.mark.parametrize("lang, says", [("en", "the following arguments are required: --text"),
                                        ("zh", "缺少必需的参数：--text")])
def test_a_missing_argument_is_said_in_the_interface_language(school, env, lang, says):
    line = one_line_error(run_cli(env, "--lang", lang, "log", "20240101", db=school.path,
                                  pin=None))
    assert says in line


# -- 5. bangfu show: the family phone, and a list's markers kept with their items -----------------

def roster_with_phone(path):
    path.write_text("姓名,性别,年级,班级,学号,联系电话\n张伟,男,七年级,1班,20240101,13512345678\n",
                    encoding="utf-8")
    return path


def test_show_prints_the_family_phone_the_roster_import_stored(school, env, tmp_path):
    """Before: the roster's 联系电话 was stored and shown in the app's family
    tab, but never by `bangfu show`: over SSH there was no way to reach the
    family."""
    done = run_cli(env, "import", "roster", roster_with_phone(tmp_path / "roster.csv"), "--yes",
                   db=school.path)
    assert done.returncode == 0, done.stderr
    assert Student.get(Student.student_no == "20240101").phone == "13512345678"
    shown = run_cli(env, "show", "20240101", db=school.path)
    assert shown.returncode == 0, shown.stderr
    assert "Family phone: 13512345678" in shown.stdout.splitlines()
    zh = run_cli(env, "--lang", "zh", "show", "20240101", "--as", "曾老师", db=school.path)
    assert zh.returncode == 0, zh.stderr
    assert "联系电话：13512345678" in zh.stdout.splitlines()


def test_show_keeps_the_family_phone_from_a_volunteer(school, env):
    """Who may not see the family's phone in the app (a volunteer) is told so,
    and not shown the number."""
    from db.models import Assignment
    from db.staff import add_staff
    from tests.conftest import TODAY

    Student.update(phone="13512345678").where(Student.student_no == "20240102").execute()
    vol = add_staff(None, "孙小志", "volunteer", pin_hash=PIN_HASH)
    Assignment.create(case=school.cases["赵薇"].id, staff=vol.id, role="volunteer", active=True,
                      assigned_on=TODAY)
    shown = run_cli(env, "show", "20240102", "--as", "孙小志", db=school.path)
    assert shown.returncode == 0, shown.stderr
    assert "13512345678" not in shown.stdout
    assert "Family phone: not shown to volunteers" in shown.stdout.splitlines()


def naive_lines(text: str, width: int = 100) -> list[str]:
    """How the text was wrapped before (rich's word wrap)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(width=width)
    return [line.plain for line in Text(text).wrap(console, width)]


MARKER_AT_END = re.compile(r"(?:^|\s)(?:\d{1,3}[.、)）]|[（(]\d{1,3}[)）])$")


@pytest.mark.parametrize("item", ["homework", "作业"])
def test_show_never_leaves_a_list_marker_at_a_line_end(school, env, item):
    """A case file's "1. … 2. …" wrapped with "2." alone at the end of a line."""
    label = i18n.t("case.field.main_problems") + i18n.t("common.colon")
    for n in range(1, 80):  # a text that the old wrapping split after "2."
        text = f"1. {' '.join([item] * n)} 2. sleeps-late-at-night 3. 上课走神"
        if any(MARKER_AT_END.search(line.rstrip()) for line in naive_lines(label + text)):
            break
    else:
        pytest.fail("no text to test with")
    Case.update(main_problems=text).where(Case.id == school.cases["张伟"].id).execute()
    shown = run_cli(env, "show", "20240101", db=school.path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert not [line for line in lines if MARKER_AT_END.search(line.rstrip())], lines
    assert any("2. sleeps-late-at-night" in line for line in lines), lines
    assert all(cell_len(line) <= 100 for line in lines)
    assert text.replace(" ", "") in "".join(lines).replace(" ", "")  # all of it
