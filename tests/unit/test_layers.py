"""The direction of imports inside lkk_integration, read from the source with `ast` (imports at
module level and inside functions alike).

The layers, lowest first; each may import its own layer and those listed for it:
- the shared flat modules (models, db, core, errors, messages, formats, audit, …): no package;
- signin/ and readings/: the shared modules only, and not each other;
- organizations/: shared, signin/ (links, sessions, the login's e-mail), readings/ (the checks
  and the rules the billing's data goes through);
- spreadsheets/: shared and readings/ (the file channel saves readings the way manual entry
  does); it needs nothing of organizations/, which needs nothing of it, so neither is above
  the other;
- soap/: anything in the core (it is the SOAP adapter).
Nothing in lkk_integration imports lkk_web (the cabinet is an adapter over the core).
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "lkk_integration"
SHARED = "shared"
ALLOWED = {
    SHARED: set(),
    "signin": {SHARED},
    "readings": {SHARED},
    "organizations": {SHARED, "signin", "readings"},
    "spreadsheets": {SHARED, "readings"},
    "soap": {SHARED, "signin", "readings", "organizations", "spreadsheets"},
}


def _imports(source: str, package: list[str]) -> list[tuple[int, str]]:
    """(line, dotted name) of every import in `source`, at any depth; a relative import is
    resolved against `package` (the importing module's package, as its parts); `from a import
    b` gives a.b, which may be a module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + (node.module.split(".") if node.module else []))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _layer(dotted: str) -> str | None:
    """The layer of an lkk_integration module's dotted name; None for anything else."""
    parts = dotted.split(".")
    if parts[0] != "lkk_integration" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in ALLOWED else SHARED


def _violations() -> list[str]:
    found = []
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(ROOT)
        package = list(relative.parent.parts)
        own = _layer(".".join(relative.with_suffix("").parts))
        for line, name in _imports(path.read_text(encoding="utf-8"), package):
            where = f"{relative}:{line} imports {name}"
            if name.split(".")[0] == "lkk_web":
                found.append(f"{where}: the core never imports lkk_web")
            target = _layer(name)
            if target is not None and target != own and target not in ALLOWED[own]:
                found.append(f"{where}: {own} may import only "
                             f"{', '.join(sorted(ALLOWED[own])) or 'other shared modules'}")
    return found


def test_imports_go_down_the_layers_only():
    found = _violations()
    assert not found, "\n".join(found)


def test_every_package_has_its_place_in_the_order():
    packages = {p.parent.name for p in CORE.glob("*/__init__.py")}
    assert packages == set(ALLOWED) - {SHARED}


def test_the_reader_sees_imports_inside_functions_and_relative_ones():
    source = ("import lkk_integration.db\n"
              "def later():\n"
              "    from lkk_integration.organizations import payloads\n"
              "    from ..readings.checks import Verdict\n"
              "    from . import throttle\n")
    assert _imports(source, ["lkk_integration", "signin"]) == [
        (1, "lkk_integration.db"), (3, "lkk_integration.organizations.payloads"),
        (4, "lkk_integration.readings.checks.Verdict"), (5, "lkk_integration.signin.throttle")]
    assert [_layer(name) for _line, name in _imports(source, ["lkk_integration", "signin"])] \
        == [SHARED, "organizations", "readings", "signin"]
