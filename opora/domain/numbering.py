def ticket_number(year: int, sequence: int) -> str:
    """Human-friendly and sortable within a school: 2026-000123."""
    return f"{year}-{sequence:06d}"
