from django.urls import path

from fazhi_web.drafting import views

app_name = "drafting"
urlpatterns = [
    path("<int:pk>/", views.generate, name="generate"),
]
