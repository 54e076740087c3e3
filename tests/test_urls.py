"""Every address reaches its own page whatever order the URL modules are tried in."""

import pytest
from django.urls import get_resolver, resolve, reverse
from django.urls.converters import IntConverter


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "intake:home"),
        ("/o/school5/", "intake:form"),
        ("/o/school5/done/", "intake:done"),
        ("/s/abc/", "intake:status"),
        ("/hotline/", "intake:hotline"),
        ("/desk/", "desk:home"),
        ("/desk/control/", "desk:control"),
        ("/desk/t/2026-000001/", "desk:ticket"),
        ("/desk/t/2026-000001/take/", "desk:act"),
        ("/accounts/login/", "login"),
        ("/reports/", "reports:dashboard"),
    ],
)
def test_each_address_reaches_its_page(path: str, name: str) -> None:
    assert resolve(path).view_name == name


def test_no_named_page_is_shadowed_by_another() -> None:
    """Each of Opora's named pages resolves back from its own address: no earlier pattern catches it first."""
    resolver = get_resolver()
    checked = 0
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for name in sub.reverse_dict:
            if namespace == "admin" or not isinstance(name, str):
                continue
            possibilities, _regex, _defaults, converters = sub.reverse_dict.getlist(name)[0]
            _format, params = possibilities[0]
            kwargs = {p: "7" if isinstance(converters.get(p), IntConverter) else "x7" for p in params}
            path = reverse(f"{namespace}:{name}", kwargs=kwargs)
            assert resolve(path).view_name == f"{namespace}:{name}", path
            checked += 1
    assert checked > 20
