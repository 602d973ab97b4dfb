from django.urls import path

from fazhi_web.disputes import views
from fazhi_web.ledgers import casebook

app_name = "disputes"
urlpatterns = [
    *casebook.urls(("reconsiderations", "litigations")),
    path("litigations/<int:pk>/hearings/new/", views.hearing_new, name="hearing_new"),
]
