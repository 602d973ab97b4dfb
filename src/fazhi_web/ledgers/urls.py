from django.urls import path

from fazhi_web.ledgers import casebook, views

app_name = "ledgers"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", casebook.dashboard, name="cases"),
    path("documents/", views.documents, name="documents"),
    path("documents/new/", views.document_new, name="document_new"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("cleanups/", views.cleanups, name="cleanups"),
    path("cleanups/<int:pk>/", views.cleanup_detail, name="cleanup"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path(
        "decisions/<int:pk>/procedures/<str:kind>/",
        views.decision_procedure,
        name="decision_procedure",
    ),
    path("decisions/<int:pk>/consultation/", views.consultation_edit, name="consultation_edit"),
    path("decisions/<int:pk>/summary/", views.summary_publish, name="summary_publish"),
    path(
        "catalogues/<int:unit_pk>/<int:year>/publish/",
        views.catalogue_publish,
        name="catalogue_publish",
    ),
    path("comments/<int:pk>/hide/", views.comment_hide, name="comment_hide"),
    path("comments/<int:pk>/answer/", views.comment_answer, name="comment_answer"),
    path("requests/", views.requests_list, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/table/", views.disclosure_table, name="disclosure_table"),
    path("<str:ledger>/<int:pk>/events/<str:event>/", views.record_event, name="event"),
    path("<str:ledger>/<int:pk>/hide/", views.record_hide, name="hide"),
    path("calendar/", views.calendar, name="calendar"),
    path("import/<str:ledger>/", views.import_start, name="import"),
    path("import/batches/<int:pk>/", views.import_batch, name="import_batch"),
    path("export/<str:ledger>/", views.export, name="export"),
]
