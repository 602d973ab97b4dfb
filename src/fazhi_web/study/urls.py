from fazhi_web.ledgers import casebook

app_name = "study"
urlpatterns = casebook.urls(
    (
        "sessions",
        "law_reports",
    )
)
