from fazhi_web.ledgers import casebook

app_name = "petitions"
urlpatterns = casebook.urls(
    (
        "petitions",
        "hotline",
    )
)
