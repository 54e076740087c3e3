from django.urls import path

from . import actions, views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("dispatch/", views.dispatch, name="dispatch"),
    path("mine/", views.mine, name="mine"),
    path("control/", views.control, name="control"),
    path("t/<str:number>/", views.ticket, name="ticket"),
    path("t/<str:number>/clocks/", views.clocks_fragment, name="clocks"),
    path("t/<str:number>/<str:action>/", actions.act, name="act"),
]
