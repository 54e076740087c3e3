"""axe-core from the axe-playwright-python package, run inside Chromium against our pages."""

from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


# Playwright's `evaluate` waits for a promise with no time limit of its own, so axe is started and its result
# waited for with `wait_for_function`, whose limit Playwright keeps outside the page.
AXE_LIMIT_MS = 30_000


def axe_violations(page: Any, context: str = "document") -> list[dict[str, Any]]:
    """axe's violations within `context` of this page's (or frame's) own document. Frames inside it are left
    out: axe asks each frame for its results by message and waits, and a CI run hung there on the form framed
    in a school site's dialog (another origin); each framed document is checked where it lives."""
    page.add_script_tag(path=str(AXE_JS))
    page.evaluate(
        """([context, tags]) => {
            window.__oporaAxe = null;
            axe.run(context === 'document' ? document : document.querySelector(context),
                    {runOnly: {type: 'tag', values: tags}, iframes: false})
               .then(result => { window.__oporaAxe = {result}; },
                     error => { window.__oporaAxe = {error: String(error)}; });
        }""",
        [context, TAGS],
    )
    page.wait_for_function("() => window.__oporaAxe !== null", timeout=AXE_LIMIT_MS)
    outcome = page.evaluate("() => window.__oporaAxe")
    assert "error" not in outcome, outcome["error"]
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in outcome["result"]["violations"]]


def assert_no_axe_violations(page: Any, context: str = "document") -> None:
    violations = axe_violations(page, context)
    assert violations == [], violations


def assert_no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"
