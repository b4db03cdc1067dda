"""Every text the product shows is in lkk_integration/messages.py (README, Conventions): a Cyrillic
string literal anywhere else in the Python of lkk_integration/ or lkk_web/ fails here.

Docstrings and comments may quote the texts and the manual's labels; they are not literals.
The Jinja templates (lkk_web/templates) hold their pages' words and are not Python. The demo's
invented names and addresses are data (lkk_integration/organizations/demo.json).
"""
from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

from tests.support.parts import ROOT

PACKAGES = ("lkk_integration", "lkk_web")
MESSAGES = "lkk_integration/messages.py"
CYRILLIC = re.compile("[\u0400-\u04ff]")

# Russian the product reads rather than says: patterns that recognize what people type into a
# file. No one is shown them, so they stay beside the code that matches them.
READ_NOT_SAID = {
    # a year written with «г.» after it: «10.04.2014 г.»
    ("lkk_integration/readings/checks.py", r"\s*г\.?$"),
    # a column title typed with a Latin T (T1) or ё, read as the template's Т1 and е
    ("lkk_integration/spreadsheets/layout.py", "т"),
    ("lkk_integration/spreadsheets/layout.py", "ё"),
    # a reason's name typed with ё, read as the list's е (docs/spec.md §13.11)
    ("lkk_integration/readings/reasons.py", "ё"),
    ("lkk_integration/readings/reasons.py", "е"),
    ("lkk_integration/spreadsheets/layout.py", "е"),
    # «Номер счетчика», «№счетчика», «No счетчика» read as «№ счетчика»
    ("lkk_integration/spreadsheets/layout.py", r"^(№|no\.?|n\.?|номер)\s*"),
}


def cyrillic_literals(source: str) -> list[tuple[int, str]]:
    """(line, value) of every string constant of `source` holding a Cyrillic letter, the parts
    of f-strings included, docstrings (a module's, a class's, a function's) excluded."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
                    and isinstance(first.value.value, str):
                docstrings.add(id(first.value))
    # By line; within a line in the order ast.walk meets them (an f-string's parts in order).
    return sorted(((node.lineno, node.value) for node in ast.walk(tree)
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)
                   and id(node) not in docstrings and CYRILLIC.search(node.value)),
                  key=lambda found: found[0])


def texts_outside_messages(root: Path) -> list[tuple[str, int, str]]:
    """(path, line, value) of the Cyrillic literals under `root`'s packages but messages.py,
    the READ_NOT_SAID patterns aside."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name == MESSAGES:
                continue
            found += [(name, line, value)
                      for line, value in cyrillic_literals(path.read_text(encoding="utf-8"))
                      if (name, value) not in READ_NOT_SAID]
    return found


def test_no_text_lives_outside_messages():
    found = texts_outside_messages(ROOT)
    assert found == [], "texts to move into lkk_integration/messages.py:\n" + "\n".join(
        f"  {path}:{line}: {value!r}" for path, line, value in found)


def test_every_pattern_read_not_said_is_still_in_its_place():
    """The exemptions do not outlive the code they were made for."""
    present = {(path, value) for path, _line, value in _all_literals(ROOT)}
    assert READ_NOT_SAID - present == set()


def test_the_finder_sees_constants_and_f_string_parts_but_not_docstrings_or_comments():
    source = '''"""Модуль: «Т1» in a docstring."""
LABEL = "Адрес"  # комментарий
ASCII = "address"


class Form:
    """Форма."""

    def title(self, n):
        """Заголовок."""
        return f"Объявление {n}: текст"


async def later():
    """Позже."""
    return ("строка", b"bytes")
'''
    assert cyrillic_literals(source) == [(2, "Адрес"), (11, "Объявление "), (11, ": текст"),
                                         (16, "строка")]


def test_a_text_planted_outside_messages_is_found(tmp_path):
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    assert texts_outside_messages(tmp_path) == []
    planted = tmp_path / "lkk_web" / "cabinet.py"
    planted.write_text(planted.read_text(encoding="utf-8") + 'GREETING = f"Привет, {1}"\n',
                       encoding="utf-8")
    line = planted.read_text(encoding="utf-8").count("\n")
    assert texts_outside_messages(tmp_path) == [("lkk_web/cabinet.py", line, "Привет, ")]


def _all_literals(root: Path) -> list[tuple[str, int, str]]:
    return [(path.relative_to(root).as_posix(), line, value)
            for package in PACKAGES for path in sorted((root / package).rglob("*.py"))
            for line, value in cyrillic_literals(path.read_text(encoding="utf-8"))]
