"""Lists that stay fast over a whole municipality's history."""

from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """Counts at most `cap` rows. Past that the page says "more than N" instead of counting every request the
    school ever had; nobody pages through ten thousand rows, they narrow the filters."""

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        """A page's rows are not cut at the capped count, so the last reachable page is whole."""
        valid = self.validate_number(number)
        bottom = (valid - 1) * self.per_page
        return Page(self.object_list[bottom : bottom + self.per_page], valid, self)
