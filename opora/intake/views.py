from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from opora.accounts.models import Organisation


def home(request: HttpRequest) -> HttpResponse:
    schools = Organisation.objects.order_by("name")
    if settings.DEFAULT_SCHOOL_SLUG:
        schools = schools.filter(slug=settings.DEFAULT_SCHOOL_SLUG)
    return render(request, "intake/home.html", {"schools": schools})
