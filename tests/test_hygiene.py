"""Start-up discipline: what the app and the CLI import, checked in fresh processes."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def run_python(code: str, cwd) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=cwd,
                            capture_output=True, text=True, timeout=120,
                            env={"BANGFU_TODAY": "2026-11-20", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_tui_never_imports_the_pinyin_dictionary(school, tmp_path):
    out = run_python(f"""
        import asyncio, sys
        sys.path.insert(0, {str(Path(__file__).parent.parent)!r})
        from db.store.connection import open_database
        from tests.helpers import make_app, settle, sign_in
        open_database({str(school.path)!r})

        async def main():
            app = make_app({str(school.path)!r})
            async with app.run_test(size=(80, 24)) as pilot:
                await sign_in(pilot, "wangfang")
                await pilot.press(*"zhangwei", "enter")
                await settle(pilot)
                await pilot.press("n")
                await settle(pilot)
        asyncio.run(main())
        print(any(m == "pypinyin" or m.startswith("pypinyin.") for m in sys.modules))
    """, tmp_path)
    assert out.splitlines()[-1] == "False"


def test_start_up_imports_neither_the_orm_nor_pinyin(tmp_path):
    out = run_python("""
        import sys
        import tui.cli, tui.app, screens.signin, screens.roster
        print(sorted(m for m in ("peewee", "playhouse", "pypinyin", "sqlite3") if m in sys.modules))
    """, Path(__file__).parent.parent)
    assert out == "[]"
