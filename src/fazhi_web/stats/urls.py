from django.urls import path

from fazhi_web.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.table, name="table"),
    path("export.xlsx", views.export, name="export"),
    path("unit/<int:pk>/", views.unit, name="unit"),
    path("charts/", views.charts, name="charts"),
]
