"""Every section the code, the tests and the docs cite as `docs/spec.md §N` (or `§N.M`) exists:
a heading of docs/spec.md carries that number. Sections keep their numbers (docs/spec.md, "How to
read and keep this document"), so a citation of a missing one is a typo or a rule that moved.

Every `§` followed by a number counts, wherever it stands: a list (`§1, §4`) and a range
(`§6–§8`) name their other sections without repeating the file's name.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC = "docs/spec.md"
SCANNED = ("lkk_integration", "lkk_web", "tests", "bench", "alembic", "docs")
SUFFIXES = {".py", ".md", ".html", ".txt", ".cfg", ".toml", ".ini", ".sql"}
CITED = re.compile(r"§(\d+(?:\.\d+)*)")
HEADING = re.compile(r"^#{1,6}\s+§(\d+(?:\.\d+)*)", re.MULTILINE)


def spec_sections(root: Path) -> set[str]:
    """The section numbers of `root`'s docs/spec.md: '13', '13.9', … (one per heading)."""
    return set(HEADING.findall((root / SPEC).read_text(encoding="utf-8")))


def missing_citations(root: Path) -> list[tuple[str, int, str]]:
    """(path, line, '§N') of every citation under `root`'s SCANNED folders whose section has no
    heading in docs/spec.md; [] when every cited section exists."""
    sections = spec_sections(root)
    missing = []
    for folder in SCANNED:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or path.suffix not in SUFFIXES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in _citations(text):
                if number not in sections:
                    missing.append((path.relative_to(root).as_posix(), line, f"§{number}"))
    return missing


def _citations(text: str):
    for line_number, line in enumerate(text.splitlines(), 1):
        for number in CITED.findall(line):
            yield number, line_number


def test_every_cited_section_exists():
    assert missing_citations(ROOT) == []


def test_the_spec_numbers_its_sections():
    sections = spec_sections(ROOT)
    assert {"0", "5.1", "13.9", "15.10", "20"} <= sections


def test_a_citation_of_a_missing_section_is_found(tmp_path):
    s = "\N{SECTION SIGN}"  # spelled out, so that this file cites no section itself
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "spec.md").write_text(f"# Spec\n\n## {s}1 One\n\n### {s}1.1 One's rule\n",
                                               encoding="utf-8")
    (tmp_path / "lkk_web").mkdir()
    (tmp_path / "lkk_web" / "page.py").write_text(
        f'"""A page (docs/spec.md {s}1.1)."""\n# the rule (docs/spec.md {s}1, {s}1.2; {s}1–{s}7)\n',
        encoding="utf-8")
    assert missing_citations(tmp_path) == [("lkk_web/page.py", 2, f"{s}1.2"),
                                           ("lkk_web/page.py", 2, f"{s}7")]
