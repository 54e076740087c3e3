"""Lists that stay fast over a whole municipality's history."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most `cap` rows past the start of the page asked for. Past that the page says "more than N"
    instead of counting every request the school ever had: nobody pages through thousands of rows, they narrow
    the filters. Paging on moves the horizon along, so every row stays reachable."""

    cap = 1_000
    # How far a page number can move the horizon: a mistyped page=999999 must not count the whole history.
    furthest_start = 100_000

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start = 0

    def get_page(self, number: Any) -> Page:  # type: ignore[type-arg]
        try:
            asked = int(number)
        except (TypeError, ValueError):
            asked = 1
        self.start = min(max(asked - 1, 0) * self.per_page, self.furthest_start)
        return super().get_page(number)

    @property
    def horizon(self) -> int:
        """The most rows this page counts; a list longer than that is shown as "more than" it."""
        return self.start + self.cap

    @cached_property
    def count(self) -> int:
        return int(self.object_list[: self.horizon + 1].count())  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.horizon

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        """A page's rows are not cut at the capped count, so the last reachable page is whole."""
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], valid, self)
