from django.urls import path

from fazhi_web.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.index, name="index"),
    path("copy/", views.copy, name="copy"),
    path("<int:pk>/", views.framework, name="framework"),
    path("<int:pk>/criteria/<int:criterion_pk>/", views.criterion_edit, name="criterion"),
    path("<int:pk>/compute/", views.compute, name="compute"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/results/", views.ranking, name="results"),
    path("<int:pk>/results.xlsx", views.export, name="export"),
    path("<int:pk>/units/<int:unit_pk>/", views.unit_results, name="unit"),
    path("<int:pk>/units/<int:unit_pk>/criteria/<int:criterion_pk>/", views.score, name="score"),
]
