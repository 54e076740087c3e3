"""axe-core from the axe-playwright-python package, run inside Chromium against our pages."""

from pathlib import Path
from typing import Any

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any, context: str = "document") -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "([context, tags]) => axe.run(context === 'document' ? document : document.querySelector(context),"
        " {runOnly: {type: 'tag', values: tags}})",
        [context, TAGS],
    )
    return [{"id": v["id"], "nodes": [n["target"] for n in v["nodes"]]} for v in result["violations"]]


def assert_no_axe_violations(page: Any, context: str = "document") -> None:
    violations = axe_violations(page, context)
    assert violations == [], violations


def assert_no_horizontal_scroll(page: Any) -> None:
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"
