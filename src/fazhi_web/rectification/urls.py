from django.urls import path

from fazhi_web.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export/", views.export, name="export"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("items/<int:pk>/submit/", views.submit, name="submit"),
    path("items/<int:pk>/close/", views.close, name="close"),
    path("items/<int:pk>/return/", views.send_back, name="send_back"),
    path("items/<int:pk>/escalate/", views.escalate, name="escalate"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("finding/<int:pk>/<int:index>/", views.raise_from_finding, name="raise_from_finding"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("notice/<int:office>/<int:year>/", views.notice, name="notice"),
]
