"""The domain is pure Python: no Django, so it is testable and portable without a database."""

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "opora" / "domain"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_domain_imports_no_django() -> None:
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) >= 5
    offenders = {f.name: m for f in files for m in imported_modules(f) if m.split(".")[0] in {"django", "opora"}}
    assert offenders == {}


def test_domain_functions_never_read_the_clock_themselves() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in DOMAIN.glob("*.py"))
    for forbidden in ("datetime.now(", "date.today(", "time.time(", "utcnow("):
        assert forbidden not in source
