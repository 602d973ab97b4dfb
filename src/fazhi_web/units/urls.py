from django.urls import path

from fazhi_web.units import views

app_name = "units"
urlpatterns = [
    path("", views.unit_list, name="list"),
    path("<int:pk>/", views.unit_detail, name="detail"),
    path("new/", views.unit_create, name="create"),
    path("<int:pk>/edit/", views.unit_edit, name="edit"),
    path("<int:pk>/hide/", views.unit_hide, name="hide"),
    path("import/", views.unit_import, name="import"),
    path("export/", views.unit_export, name="export"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/roles/new/", views.membership_add, name="membership_add"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("years/", views.years, name="years"),
]
