"""Opening the file from the app: after the first frame, failures shown on screen."""

from __future__ import annotations

from db.config import Settings
from db.store.connection import known_migrations, schema_version
from db.models import database
from tests.helpers import settle
from tui.app import BangfuApp


def app_for(path, source="--db") -> BangfuApp:
    settings = Settings(db_path=path, db_source=source, lang="en", lang_source="test", user="")
    return BangfuApp(settings=settings)  # no database given: the app opens it


async def test_the_app_opens_the_file_itself_and_lists_the_staff(school):
    app = app_for(school.path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        assert app.db_ready
        assert [s.name for s in app.screen.shown][:3] == ["李建国", "王芳", "曾老师"]  # by pinyin
        # the roster is in memory before anyone signs in, shown only after
        assert app._all is not None and len(app._all) == 7 and app.index is None


async def test_a_corrupt_file_is_reported_on_the_sign_in_screen(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database" * 100)
    app = app_for(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        message = str(app.screen.query_one("#signin-message").render())
        assert "Cannot open the database" in message and "broken.db" in message
        assert not app.db_ready
    assert path.read_bytes().startswith(b"this is not a database")


async def test_the_default_file_is_created_on_first_start(tmp_path):
    path = tmp_path / "data" / "bangfu.db"
    app = app_for(path, source="default")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, 5)
        assert app.db_ready
        title = str(app.screen.query_one("#signin-title").render())
        hint = str(app.screen.query_one("#signin-hint").render())
        assert "first administrator" in title  # no staff yet: the first one is made here
        assert "bangfu demo" in hint  # or a demo school
    assert path.exists()
    assert schema_version(database.obj) == len(known_migrations())
