from django.urls import path

from fazhi_web.review import views

app_name = "review"
urlpatterns = [
    path("", views.board, name="board"),
    path("open-year/", views.open_year, name="open_year"),
    path("obligation/<int:pk>/", views.report, name="report"),
    path("obligation/<int:pk>/extend/", views.extend, name="extend"),
    path("obligation/<int:pk>/correct/", views.correct, name="correct"),
    path("obligation/<int:pk>/comment/", views.comment, name="comment"),
    path("obligation/<int:pk>/return/", views.return_report, name="return"),
    path("obligation/<int:pk>/approve/", views.approve, name="approve"),
    path("obligation/<int:pk>/publish/", views.publish, name="publish"),
    path("version/<int:pk>/finding/<int:index>/dismiss/", views.dismiss, name="dismiss"),
    path("notice/<int:office>/<int:year>/", views.notice, name="notice"),
]
