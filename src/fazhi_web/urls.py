from django.contrib.auth import views as auth_views
from django.urls import include, path

from fazhi_web import views
from fazhi_web.accounts import oidc
from fazhi_web.accounts.views import LoginView
from fazhi_web.api.api import api

handler400 = "fazhi_web.views.bad_request"
handler500 = "fazhi_web.views.server_error"

urlpatterns = [
    path("", include("fazhi_web.portal.urls")),
    path("work/", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("fazhi_web.accounts.urls")),
    # Names as mozilla-django-oidc reverses them.
    path("oidc/authenticate/", oidc.authenticate, name="oidc_authentication_init"),
    path("oidc/callback/", oidc.callback, name="oidc_authentication_callback"),
    path("units/", include("fazhi_web.units.urls")),
    path("reports/", include("fazhi_web.reports.urls")),
    path("drafts/", include("fazhi_web.drafting.urls")),
    path("review/", include("fazhi_web.review.urls")),
    path("stats/", include("fazhi_web.stats.urls")),
    path("audit/", include("fazhi_web.audit.urls")),
    path("evaluation/", include("fazhi_web.evaluation.urls")),
    path("ledgers/", include("fazhi_web.ledgers.urls")),
    path("ledgers/disputes/", include("fazhi_web.disputes.urls")),
    path("ledgers/petitions/", include("fazhi_web.petitions.urls")),
    path("ledgers/proposals/", include("fazhi_web.proposals.urls")),
    path("ledgers/study/", include("fazhi_web.study.urls")),
    path("open/", include("fazhi_web.ledgers.public_urls")),
    path("rectification/", include("fazhi_web.rectification.urls")),
    path("enforcement/", include("fazhi_web.enforcement.urls")),
    path("open/enforcement/", include("fazhi_web.enforcement.public_urls")),
    path("api/", api.urls),
]
