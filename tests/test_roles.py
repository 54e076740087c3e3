"""Who holds which roles where, read once per page."""

from django.contrib.auth.models import User

from opora.accounts.models import Membership
from opora.accounts.roles import organisations_of, roles_in
from opora.domain.enums import ServiceRole

from .factories import make_staff


def test_someone_in_two_schools_has_each_schools_own_roles(school, other_school, django_assert_num_queries) -> None:
    irina = make_staff(school, "irina", ServiceRole.SITE_ADMIN, ServiceRole.TECHNICIAN)
    Membership.objects.create(user=irina, organisation=other_school, role=ServiceRole.PSYCHOLOGIST)
    Membership.objects.create(user=irina, organisation=other_school, role=ServiceRole.HEAD, is_active=False)
    irina = User.objects.get(pk=irina.pk)
    with django_assert_num_queries(1):  # the roles come with the schools
        schools = organisations_of(irina)
        assert roles_in(irina, school) == {ServiceRole.SITE_ADMIN, ServiceRole.TECHNICIAN}
        assert roles_in(irina, other_school) == {ServiceRole.PSYCHOLOGIST}  # not the head: that order ended
    assert schools == sorted([school, other_school], key=lambda s: s.name)


def test_a_former_member_works_nowhere(school) -> None:
    gleb = make_staff(school, "gleb", ServiceRole.TECHNICIAN)
    Membership.objects.filter(user=gleb).update(is_active=False)
    gleb = User.objects.get(pk=gleb.pk)
    assert organisations_of(gleb) == [] and roles_in(gleb, school) == frozenset()
