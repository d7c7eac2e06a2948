"""The example site (example/, what `make demo` serves) as a visitor sees it: `manage.py
runserver` on its own data, pages driven in a headless Chromium, screenshots saved under
build/screenshots/<django>-<target>/. Runs against the target of the suite: the embedded cqld,
or the Cassandra node (a keyspace of its own, dropped afterwards).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import django
import pytest
from browser import SCREENSHOTS
from django.conf import settings as test_settings
from testproject import settings as project_settings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example"
TIMEOUT_S = 600  # bounds a hung subprocess; not a speed expectation
VISITOR_ZONE = "Asia/Tokyo"

pytestmark = [pytest.mark.slow, pytest.mark.browser(timezone_id=VISITOR_ZONE)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site_env(tmp_path_factory):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(EXAMPLE)]),
        "DJANGO_SETTINGS_MODULE": "demosite.settings",
        "DEMO_DATA_DIR": str(tmp_path_factory.mktemp("example-site")),
        "DEMO_KEYSPACE": f"demo_site_{os.getpid()}",
        "DJANGO_SUPERUSER_PASSWORD": "visitor-pw",
    }
    if test_settings.TARGET == "cassandra":
        env["DEMO_CASSANDRA_HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        env["DEMO_CASSANDRA_PORT"] = os.environ.get("CASSANDRA_PORT", "19042")
        env["DEMO_CASSANDRA_REPLICATION_FACTOR"] = str(test_settings.REPLICATION_FACTOR)
        env["DEMO_CASSANDRA_CONSISTENCY"] = test_settings.CONSISTENCY
    credentials = project_settings.child_credentials()
    if credentials:  # an auth run (make auth-test): the site logs in as the suite does
        env["DEMO_CASSANDRA_USER"] = credentials["USER"]
        env["DEMO_CASSANDRA_PASSWORD"] = credentials["PASSWORD"]
    tls = project_settings.child_tls_options().get("ssl_options")
    if tls:  # a TLS run whose test server the site reaches: it connects with TLS too
        env["DEMO_CASSANDRA_TLS_CA"] = tls["ca_certs"]
        env["DEMO_CASSANDRA_TLS_CLIENT"] = tls["certfile"].removesuffix(".pem")
    yield env
    if test_settings.TARGET == "cassandra":
        manage(env, "shell", "-c", _DROP_KEYSPACE)
    else:
        manage(env, "cqld", "--stop")


_DROP_KEYSPACE = (
    "from django.db import connection; "
    "connection.schema_editor().drop_keyspace(connection.settings_dict['NAME'])"
)


def manage(env, *args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def site(site_env):
    """The example site, set up as `make demo` does, served by runserver."""
    manage(site_env, "migrate", "--noinput")
    manage(site_env, "sync_cassandra")
    manage(site_env, "seed_notes")
    created = manage(
        site_env,
        "createsuperuser",
        "--noinput",
        "--username",
        "visitor",
        "--email",
        "visitor@example.com",
    )
    port = free_port()
    log = Path(site_env["DEMO_DATA_DIR"]) / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=EXAMPLE,
            env=site_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, server, log)
        yield {"url": url, "log": log, "createsuperuser": created.stdout + created.stderr}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_serving(url, server, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"runserver exited: {log.read_text()}")
        try:
            urllib.request.urlopen(url + "/cql/", timeout=5).read()
            return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"runserver did not answer: {log.read_text()}")


@pytest.fixture(scope="module")
def shots():
    folder = SCREENSHOTS / f"django{django.VERSION[0]}{django.VERSION[1]}-{test_settings.TARGET}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_page(browser, url):
    page = browser.pages[0] if browser.pages else browser.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")  # timezone.js may reload the first page once
    return page


def test_runserver_and_createsuperuser_show_no_migration_warning(site):
    output = site["log"].read_text()
    assert "Starting development server" in output
    assert "unapplied migration" not in output
    assert "Superuser created" in site["createsuperuser"]
    assert "unapplied migration" not in site["createsuperuser"]


def test_note_list_pages_and_filters_by_tag(site, browser, shots):
    page = open_page(browser, site["url"] + "/")
    assert "Page 1 of 3" in page.inner_text(".pagination")  # 24 sample notes, 10 a page
    assert len(page.locator("article.note").all()) == 10
    times = page.locator("article.note time").all_inner_texts()
    assert times and all(text.endswith("JST") for text in times)  # the visitor's zone
    assert f"Times are shown in {VISITOR_ZONE}" in page.inner_text("footer")
    page.screenshot(path=shots / "01-notes.png", full_page=True)
    page.screenshot(path=shots / "00-notes-top.png")  # the README's picture (docs/)

    page.click(".pagination a[href$='page=2']")
    page.wait_for_load_state("networkidle")
    assert "Page 2 of 3" in page.inner_text(".pagination")

    page.locator("article.note .tags a", has_text="#cassandra").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("?tag=cassandra")
    summary = page.inner_text(".summary")
    count = int(re.match(r"(\d+) notes? tagged", summary).group(1))
    cards = page.locator("article.note").all()
    assert 0 < len(cards) == min(count, 10)
    assert all("#cassandra" in card.inner_text() for card in cards)
    page.screenshot(path=shots / "02-tag-filter.png", full_page=True)


def test_writing_a_note_with_the_collection_field(site, browser, shots):
    page = open_page(browser, site["url"] + "/new/")
    page.fill("#id_title", "Written in a browser")
    page.select_option("#id_category", "2")
    page.fill("#id_body", "Tags are a set<text> column, typed as comma-separated items.")
    page.fill("#id_tags", 'browser, "cql, cassandra')
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Check the quotes" in page.inner_text(".field.invalid")
    page.screenshot(path=shots / "03-form-errors.png", full_page=True)

    page.fill("#id_tags", 'browser, "cql, cassandra", browser')
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Saved “Written in a browser”." in page.inner_text(".messages")

    page.goto(site["url"] + "/?tag=browser")
    page.wait_for_load_state("networkidle")
    card = page.locator("article.note")
    assert card.count() == 1 and "Written in a browser" in card.inner_text()
    assert sorted(card.locator(".tags a").all_inner_texts()) == ["#browser", "#cql, cassandra"]
    card.locator("h2 a").click()
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_tags") == 'browser, "cql, cassandra"'  # a set: sorted, once
    page.screenshot(path=shots / "04-edit-note.png", full_page=True)


def test_cql_log_shows_each_requests_statements(site, browser, shots):
    page = open_page(browser, site["url"] + "/?tag=cassandra")
    page.goto(site["url"] + "/cql/")
    newest = page.locator("section.request").first
    assert "/?tag=cassandra" in newest.locator("header").inner_text()
    statements = newest.locator("table.cql td code").all_inner_texts()
    assert any("COUNT(*)" in cql and "CONTAINS 'cassandra'" in cql for cql in statements)
    assert any(cql.startswith("SELECT") and "LIMIT 10" in cql for cql in statements)
    times = newest.locator("table.cql td.num:last-child").all_inner_texts()
    assert all(re.fullmatch(r"\d+\.\d\d", text) for text in times)
    page.screenshot(path=shots / "05-cql-log.png", full_page=True)


def test_admin_edits_notes_with_the_same_fields(site, browser, shots):
    page = open_page(browser, site["url"] + "/admin/login/")
    page.fill("#id_username", "visitor")
    page.fill("#id_password", "visitor-pw")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(site["url"] + "/admin/notes/note/?category__exact=2")
    assert "Written in a browser" in page.inner_text("#result_list")
    page.click("#result_list a:has-text('Written in a browser')")
    page.wait_for_load_state("networkidle")
    assert page.input_value("#id_tags") == 'browser, "cql, cassandra"'
    assert "hours ahead of server time" not in page.content()
    page.screenshot(path=shots / "06-admin-note.png", full_page=True)
    page.fill("#id_tags", "browser, admin")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    assert "was changed successfully" in page.inner_text(".messagelist")


def test_the_examples_own_tests_pass(site_env):
    # The site's own test run starts its own (plaintext) in-memory server.
    env = {k: v for k, v in site_env.items() if not k.startswith("DEMO_CASSANDRA_TLS_")}
    result = manage(env, "test", "notes", "--noinput")
    assert "OK" in result.stderr
