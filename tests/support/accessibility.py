"""axe-core (the npm package's axe.min.js) run inside a page Playwright shows: the accessibility
rules every cabinet page must pass (docs/spec.md §0)."""
from __future__ import annotations

import os
from pathlib import Path

from .parts import ROOT, need

# Where .ci/run installs it (`npm install --prefix var/axe axe-core@4`); LKK_AXE_JS overrides.
AXE_JS = Path(os.environ.get("LKK_AXE_JS",
                             ROOT / "var" / "axe" / "node_modules" / "axe-core" / "axe.min.js"))


def axe_source() -> str:
    """axe.min.js's text; skips (fails under LKK_REQUIRE_ALL=1) when it is not installed."""
    need(AXE_JS.is_file(), "axe-core",
         "npm install --prefix var/axe axe-core@4 (or set LKK_AXE_JS to axe.min.js)")
    return AXE_JS.read_text(encoding="utf-8")


def violations(page, source: str) -> list[str]:
    """axe's violations of the page as shown now, one line each: rule, impact, the first
    elements (CSS selectors) and axe's summary of what to fix. The page's context needs
    bypass_csp=True: the cabinet's Content-Security-Policy refuses an injected script."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=source)
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for v in result["violations"]:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        more = f" (+{len(v['nodes']) - 3})" if len(v["nodes"]) > 3 else ""
        lines.append(f"{v['id']} [{v['impact']}] {targets}{more}: {v['help']}")
    return lines
