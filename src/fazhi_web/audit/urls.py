from django.urls import path

from fazhi_web.audit import views

app_name = "audit"
# Read-only on purpose: there is no URL that edits or deletes an entry.
urlpatterns = [
    path("", views.log, name="log"),
    path("export/", views.export_log, name="export"),
]
