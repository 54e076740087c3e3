from django.urls import path

from . import hotline, views

app_name = "intake"
urlpatterns = [
    path("", views.home, name="home"),
    path("o/<slug:slug>/", views.form, name="form"),
    path("o/<slug:slug>/done/", views.done, name="done"),
    path("o/<slug:slug>/widget.json", views.widget_config, name="widget_config"),
    path("s/<str:token>/", views.status, name="status"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("widget.js", views.widget_js, name="widget_js"),
    path("widget/demo/", views.widget_demo, name="widget_demo"),
    path("hotline/", hotline.record_call, name="hotline"),
    path("hotline/lookup/", hotline.lookup, name="hotline_lookup"),
    path("hotline/append/<str:number>/", hotline.append, name="hotline_append"),
]
