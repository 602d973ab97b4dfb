import pytest


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can see a failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch):
    """Playwright's sync API runs an event loop in this thread; the ORM calls the test
    makes between browser steps are still synchronous. Set per test, not at import, so
    that it never leaks into the other tests' subprocesses (`check --deploy` flags it)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _no_sessions_left_on_test_database(django_db_setup, django_db_blocker):
    """Let pytest-django drop the PostgreSQL test database at the end.

    The live server answers each keep-alive browser connection on a daemon
    thread with its own database session; one can still be open when the
    session ends, and DROP DATABASE then fails, leaving `test_test_gw0` behind.
    Set up before the database is torn down, this runs just before it.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()
