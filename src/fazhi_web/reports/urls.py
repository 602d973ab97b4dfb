from django.urls import path

from fazhi_web.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.obligation, name="obligation"),
    path("<int:pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/paste/", views.paste, name="paste"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/diff/", views.diff, name="diff"),
    path("versions/<int:pk>/file/", views.version_file, name="version_file"),
    path("versions/<int:pk>/analysis/", views.analysis_status, name="analysis_status"),
    path("versions/<int:pk>/analysis/retry/", views.retry_analysis, name="retry_analysis"),
]
