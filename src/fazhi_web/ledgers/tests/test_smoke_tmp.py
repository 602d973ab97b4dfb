from django.urls import reverse

from fazhi_web.ledgers.tests.conftest import client_for


def test_pages_render(world, published_doc, request_in_town, decision):
    c = client_for(world.reporter)
    for name, args in [
        ("ledgers:dashboard", []),
        ("ledgers:documents", []),
        ("ledgers:document", [published_doc.pk]),
        ("ledgers:decisions", []),
        ("ledgers:decision", [decision.pk]),
        ("ledgers:requests", []),
        ("ledgers:request", [request_in_town.pk]),
        ("ledgers:calendar", []),
        ("ledgers:cleanups", []),
        ("ledgers:document_new", []),
        ("ledgers:import", ["documents"]),
        ("ledgers:export", ["documents"]),
    ]:
        r = c.get(reverse(name, args=args))
        assert r.status_code == 200, (name, r.status_code)
    r = c.get(reverse("ledgers:disclosure_table") + f"?unit={world.town.pk}&year=2024")
    assert r.status_code == 200
    r = c.get(reverse("ledgers:event", args=["documents", published_doc.pk, "file"]))
    assert r.status_code == 200
    for name, args in [
        ("ledgers_public:library", []),
        ("ledgers_public:document", [published_doc.pk]),
        ("ledgers_public:catalogues", []),
    ]:
        r = c.get(reverse(name, args=args))
        assert r.status_code == 200, name
    rv = client_for(world.reviewer)
    assert rv.get(reverse("ledgers:dashboard")).status_code == 200
