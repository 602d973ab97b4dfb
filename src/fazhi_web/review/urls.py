from django.urls import path

from fazhi_web.review import report_views, views

app_name = "review"
urlpatterns = [
    path("", views.board, name="board"),
    path("open-year/", views.open_year, name="open_year"),
    path("batch/", views.batch, name="batch"),
    path("obligation/<int:pk>/", report_views.report, name="report"),
    path("obligation/<int:pk>/extend/", views.extend, name="extend"),
    path("obligation/<int:pk>/correct/", report_views.correct, name="correct"),
    path("obligation/<int:pk>/confirm/", report_views.confirm, name="confirm"),
    path("obligation/<int:pk>/comment/", report_views.comment, name="comment"),
    path("obligation/<int:pk>/return/", report_views.return_report, name="return"),
    path("obligation/<int:pk>/approve/", report_views.approve, name="approve"),
    path("obligation/<int:pk>/publish/", report_views.publish, name="publish"),
    path("version/<int:pk>/finding/<int:index>/dismiss/", report_views.dismiss, name="dismiss"),
    path("version/<int:pk>/finding/<int:index>/restore/", report_views.restore, name="restore"),
    path(
        "version/<int:pk>/finding/<int:index>/comment/",
        report_views.finding_comment,
        name="finding_comment",
    ),
    path("notice/<int:office>/<int:year>/", views.notice, name="notice"),
]
