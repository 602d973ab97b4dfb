from django.urls import path

from fazhi_web.ledgers import public_views

app_name = "ledgers_public"
urlpatterns = [
    path("documents/", public_views.library, name="library"),
    path("documents/<int:pk>/", public_views.library_document, name="document"),
    path("decisions/", public_views.catalogues, name="catalogues"),
    path("decisions/catalogues/<int:pk>/", public_views.catalogue, name="catalogue"),
    path("decisions/consultations/<int:pk>/", public_views.consultation, name="consultation"),
]
