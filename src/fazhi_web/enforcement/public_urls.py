from django.urls import path

from fazhi_web.enforcement import public_views

app_name = "enforcement_public"
urlpatterns = [
    path("decisions/", public_views.decisions, name="decisions"),
    path("decisions/<int:pk>/", public_views.decision, name="decision"),
    path("inspections/", public_views.inspections, name="inspections"),
    path("inspections/<int:pk>/", public_views.inspection, name="inspection"),
]
