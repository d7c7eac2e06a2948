"""A project made with `django-admin startproject`, with Cassandra as its only database.

Its default INSTALLED_APPS (admin, auth, contenttypes, sessions, messages, staticfiles) and one
database, ``'ENGINE': 'django_cassandra_engine'`` with no HOST (the embedded cqld; on the
cassandra target, HOST and PORT of the node and a keyspace of its own). `migrate`,
`createsuperuser`, `runserver`, then in a headless Chromium: log in to the admin, create a
group with permissions and a staff user in it, log in as that user and see only what the
permissions allow, change the password, log out; the admin's history (LogEntry) shows the
changes. Screenshots go to build/screenshots/<django>-<target>/startproject-*.png.
"""

from __future__ import annotations

import os
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
TIMEOUT_S = 900  # bounds a hung subprocess; not a speed expectation
pytestmark = pytest.mark.slow

ADMIN_PASSWORD = "admin-pw-1"
EDITOR_PASSWORD = "Editor-pw-2024!"
NEW_EDITOR_PASSWORD = "Changed-pw-2025!"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_settings(keyspace: str) -> str:
    settings = {
        "ENGINE": "django_cassandra_engine",
        "NAME": keyspace,
        "OPTIONS": {"replication": {"strategy_class": "SimpleStrategy", "replication_factor": 1}},
    }
    if test_settings.TARGET == "cassandra":
        settings["OPTIONS"] = test_settings.CLUSTER_OPTIONS  # RF 3 and QUORUM on a cluster
        settings["HOST"] = os.environ.get("CASSANDRA_HOST", "127.0.0.1")
        settings["PORT"] = int(os.environ.get("CASSANDRA_PORT", "19042"))
    if project_settings.child_tls_options():  # a TLS run (make django-test-tls)
        driver_options = settings["OPTIONS"].get("connection", {})
        settings["OPTIONS"] = {
            **settings["OPTIONS"],
            "connection": {**driver_options, **project_settings.child_tls_options()},
        }
    settings.update(project_settings.child_credentials())  # an auth run (make auth-test)
    return f"{test_settings.SETTINGS_IMPORTS}DATABASES = {{'default': {settings!r}}}\n"


class Project:
    def __init__(self, directory: Path, keyspace: str) -> None:
        self.directory = directory
        self.keyspace = keyspace
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "mysite.settings",
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.directory,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        assert result.returncode == 0, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result.stdout + result.stderr


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    directory = tmp_path_factory.mktemp("startproject") / "mysite"
    directory.mkdir()
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", "."],
        cwd=directory,
        check=True,
        timeout=TIMEOUT_S,
    )
    settings_file = directory / "mysite" / "settings.py"
    text = settings_file.read_text()
    start = text.index("DATABASES = {")
    end = text.index("\n}\n", start) + 3
    keyspace = f"startproject_{os.getpid()}"
    settings_file.write_text(text[:start] + database_settings(keyspace) + text[end:])
    project = Project(directory, keyspace)
    yield project
    if test_settings.TARGET == "cassandra":
        project.manage(
            "shell",
            "-c",
            "from django.db import connection; "
            f"connection.schema_editor().drop_keyspace({keyspace!r})",
        )
    else:
        # The project does not install django_cassandra_engine (whose `cqld --stop` command
        # this is), so the embedded server is stopped through the module.
        subprocess.run(
            [
                sys.executable,
                "-c",
                "from pathlib import Path; from django_cassandra_engine import embedded; "
                f"embedded.stop_server(Path({str(directory / '.cqld')!r}))",
            ],
            env=project.env,
            check=True,
            timeout=TIMEOUT_S,
        )


@pytest.fixture(scope="module")
def server(project):
    project.manage("migrate", "--noinput")
    created = project.manage(
        "createsuperuser", "--noinput", "--username", "admin", "--email", "admin@example.com"
    )
    port = free_port()
    log = project.directory / "runserver.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=project.directory,
            env=project.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"runserver exited: {log.read_text()}")
            try:
                urllib.request.urlopen(url + "/admin/login/", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"runserver did not answer: {log.read_text()}")
                time.sleep(0.2)
        yield {"url": url, "log": log, "createsuperuser": created}
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def shots():
    folder = SCREENSHOTS / f"django{django.VERSION[0]}{django.VERSION[1]}-{test_settings.TARGET}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, url: str, username: str, password: str) -> None:
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")


def log_out(page, url: str) -> None:
    page.goto(url + "/admin/")
    page.click("#logout-form button")
    page.wait_for_load_state("networkidle")
    assert "Logged out" in page.inner_text("#content")


def test_commands_see_no_unapplied_migrations(server):
    assert "Superuser created successfully." in server["createsuperuser"]
    assert "unapplied migration" not in server["createsuperuser"]
    assert "unapplied migration" not in server["log"].read_text()


def test_admin_groups_permissions_password_and_history(server, browser, shots):
    url = server["url"]
    page = browser.new_page()

    # The superuser creates a group with two permissions on users.
    log_in(page, url, "admin", ADMIN_PASSWORD)
    assert "Site administration" in page.inner_text("#content")
    page.goto(url + "/admin/auth/group/add/")
    page.fill("#id_name", "Editors")
    for name in ("Can view user", "Can change user"):
        option = page.locator("#id_permissions_from option", has_text=f"| user | {name}")
        page.select_option("#id_permissions_from", value=option.get_attribute("value"))
        page.click("#id_permissions_add, #id_permissions_add_link")  # 5.x, 4.2
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    assert "was added successfully" in page.inner_text(".messagelist")
    page.screenshot(path=shots / "startproject-01-group.png", full_page=True)

    # ... and a staff user in it.
    page.goto(url + "/admin/auth/user/add/")
    page.fill("#id_username", "editor")
    if page.locator("#id_usable_password_0").count():  # Django 5.1+: "Password-based login"
        page.check("#id_usable_password_0")
    page.fill("#id_password1", EDITOR_PASSWORD)
    page.fill("#id_password2", EDITOR_PASSWORD)
    page.click("input[name=_continue]")
    page.wait_for_load_state("networkidle")
    assert "was added successfully" in page.inner_text(".messagelist")
    page.check("#id_is_staff")
    page.select_option("#id_groups_from", label="Editors")
    page.click("#id_groups_add, #id_groups_add_link")
    page.click("input[name=_save]")
    page.wait_for_load_state("networkidle")
    assert "was changed successfully" in page.inner_text(".messagelist")
    users = page.inner_text("#result_list")
    assert "editor" in users and "admin" in users
    page.screenshot(path=shots / "startproject-02-users.png", full_page=True)
    log_out(page, url)

    # The editor sees users (view and change), not groups, and cannot add or delete users.
    log_in(page, url, "editor", EDITOR_PASSWORD)
    index = page.inner_text("#content-main")
    assert "Users" in index and "Groups" not in index
    page.screenshot(path=shots / "startproject-03-editor-index.png", full_page=True)
    page.goto(url + "/admin/auth/user/")
    assert "editor" in page.inner_text("#result_list")
    assert page.locator("a.addlink").count() == 0
    response = page.goto(url + "/admin/auth/group/")
    assert response.status == 403
    response = page.goto(url + "/admin/auth/user/add/")
    assert response.status == 403

    # The editor changes their own password, and logs in with the new one.
    page.goto(url + "/admin/password_change/")
    page.fill("#id_old_password", EDITOR_PASSWORD)
    page.fill("#id_new_password1", NEW_EDITOR_PASSWORD)
    page.fill("#id_new_password2", NEW_EDITOR_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Your password was changed." in page.inner_text("#content")
    log_out(page, url)
    log_in(page, url, "editor", EDITOR_PASSWORD)
    assert "Please enter the correct username and password" in page.inner_text("#content")
    log_in(page, url, "editor", NEW_EDITOR_PASSWORD)
    assert "Site administration" in page.inner_text("#content")
    log_out(page, url)

    # The admin's history of the editor: added, then groups and staff status changed.
    log_in(page, url, "admin", ADMIN_PASSWORD)
    page.goto(url + "/admin/auth/user/")
    page.click("#result_list a:text-is('editor')")
    page.wait_for_load_state("networkidle")
    page.click("a.historylink")
    page.wait_for_load_state("networkidle")
    history = page.inner_text("#change-history")
    assert "Added." in history
    assert "Changed" in history and "Groups" in history and "Staff status" in history
    page.screenshot(path=shots / "startproject-04-history.png", full_page=True)
    page.goto(url + "/admin/")
    recent = page.inner_text("#recent-actions-module")
    assert "Editors" in recent and "editor" in recent
    log_out(page, url)


RACE = """
import json, os, time
from pathlib import Path
from django.contrib.auth.models import User
from django.db import IntegrityError

go = Path(os.environ["RACE_GO"])
while not go.exists():
    time.sleep(0.005)
outcome = {"created": [], "refused": []}
for i in range(10):
    name = f"racer-{i}"
    try:
        User.objects.create_user(name, password="pw")
        outcome["created"].append(name)
    except IntegrityError:
        outcome["refused"].append(name)
print(json.dumps(outcome))
"""


def test_two_processes_creating_one_username(project, server, tmp_path):
    """Two processes create the same ten usernames at once: each name ends up with one user
    and one IntegrityError."""
    import json

    go = tmp_path / "go"
    env = {**project.env, "RACE_GO": str(go)}
    racers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", RACE],
            cwd=project.directory,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    time.sleep(3)  # both have set Django up and wait for the signal
    go.touch()
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=TIMEOUT_S)
        assert racer.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    for i in range(10):
        name = f"racer-{i}"
        assert sum(name in o["created"] for o in outcomes) == 1, outcomes
        assert sum(name in o["refused"] for o in outcomes) == 1, outcomes
    counts = project.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "print('users', User.objects.filter(username__startswith='racer-').count())",
    )
    assert "users 10" in counts
