from django.urls import path

from fazhi_web.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:pk>/", views.officer, name="officer"),
    path("staff/<int:pk>/certificates/", views.certificate_add, name="certificate_add"),
    path("certificates/<int:pk>/review/", views.certificate_review, name="certificate_review"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/events/", views.case_event, name="case_event"),
    path("cases/<int:pk>/legal-review/", views.legal_review, name="legal_review"),
    path("cases/<int:pk>/publication/", views.publication_prepare, name="publication_prepare"),
    path(
        "cases/<int:pk>/publication/approve/", views.publication_approve, name="publication_approve"
    ),
    path(
        "cases/<int:pk>/publication/publish/", views.publication_publish, name="publication_publish"
    ),
    path("events/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment_file"),
    path("<str:kind>/<int:pk>/hide/", views.hide, name="hide"),
    path("entities/", views.entities, name="entities"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/draw/", views.inspection_draw, name="inspection_draw"),
    path("inspections/<int:pk>/publish/", views.inspection_publish, name="inspection_publish"),
    path("drawn/<int:pk>/result/", views.drawn_result, name="drawn_result"),
    path("import/<str:sheet>/", views.import_start, name="import"),
    path("import/batches/<int:pk>/", views.import_batch, name="import_batch"),
    path("export/<str:sheet>/", views.export, name="export"),
]
