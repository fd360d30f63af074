"""The layout's rules, read from the source (ARCHITECTURE.md says why each holds).

- db/ imports no Textual (nor anything of tui/ or screens/): data and rules only.
- screens/ imports nothing of the command line (tui.cli).
- No module imports another module's private name (``from x import _y``, ``x._y``).
- No source file outside tests/ is over 500 lines, except data tables (a module
  that is, line for line, mostly literal data: the catalog's areas, word lists).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ("db", "tui", "screens", "bench")
MAX_LINES = 500


def modules(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path):
    """(module imported, line) of every import in a file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                + ([base] if base else []))
            yield base, node.lineno
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def test_the_rules_are_read_from_real_files():
    assert len(list(modules("db"))) > 20 and len(list(modules("screens"))) > 20
    names = {name for name, _ in imported(ROOT / "tui" / "app.py")}
    assert "textual.app" in names


def test_db_imports_no_textual_nor_the_interface():
    found = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in modules("db") for name, line in imported(path)
             if name.split(".")[0] in ("textual", "tui", "screens")]
    assert not found, "\n".join(found)


def test_screens_import_nothing_of_the_command_line():
    found = [f"{path.relative_to(ROOT)}:{line} imports {name}"
             for path in modules("screens") for name, line in imported(path)
             if name == "tui.cli" or name.startswith(("tui.cli.", "tui.cli_"))]
    assert not found, "\n".join(found)


def test_no_module_imports_another_modules_private_names():
    """``from x import _y`` and ``x._y`` on a module of this project, from another module."""
    ours = {module_name(p) for p in modules(*SOURCE)}
    found = []
    for path in modules(*SOURCE):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module_aliases = {}  # local name -> one of our modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if is_private(alias.name):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} "
                                     f"from {node.module} import {alias.name}")
                    if f"{node.module}.{alias.name}" in ours:
                        module_aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in ours:
                        module_aliases[alias.asname or alias.name] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in module_aliases and is_private(node.attr)
                    and module_aliases[node.value.id] != module_name(path)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} "
                             f"{module_aliases[node.value.id]}.{node.attr}")
    assert not found, "\n".join(found)


def data_share(path: Path) -> float:
    """The share of a file's lines inside top-level assignments of literal data."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    data = 0
    for node in tree.body:
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        if value is not None and isinstance(value, (ast.Dict, ast.List, ast.Tuple, ast.Set)):
            try:
                ast.literal_eval(value)
            except ValueError:
                continue
            data += node.end_lineno - node.lineno + 1
    return data / max(1, len(text.splitlines()))


def test_no_source_file_is_over_500_lines_except_data_tables():
    long = [f"{path.relative_to(ROOT)}: {n} lines"
            for path in modules(*SOURCE)
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
            and data_share(path) < 0.8]
    assert not long, "\n".join(long)


def test_a_data_table_is_told_from_code():
    assert data_share(ROOT / "tui" / "i18n" / "access.py") > 0.95
    assert data_share(ROOT / "tui" / "app.py") < 0.1
