from django.urls import path

from fazhi_web.portal import views

# Mounted at the site root, so no prefix here may start like another app's
# ("reports/", "stats/", ...): the portal would shadow it.
app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("report/<int:pk>/", views.report, name="report"),
    path("open/stats/", views.stats, name="stats"),
    path("open/stats.csv", views.stats_csv, name="stats_csv"),
    path("open/stats.json", views.stats_json, name="stats_json"),
]
