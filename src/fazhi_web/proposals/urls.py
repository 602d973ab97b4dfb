from fazhi_web.ledgers import casebook

app_name = "proposals"
urlpatterns = casebook.urls(("proposals",))
