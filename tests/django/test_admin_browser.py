"""The admin in a real browser: headless Chromium (browser.py) against a live server of the test
project, on a model with a one-column primary key (ExampleModel) and on one with a composite
key (Reading: partition key sensor, clustering key taken_at). Each test logs in through the
login form, then pages, sorts, searches, filters, adds, changes, deletes one row and deletes
selected rows as a person would, checking the page and the rows in the database at each step.
"""

from __future__ import annotations

import datetime
import re

import pytest
from browser import SCREENSHOTS
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect
from testapp.models import ExampleModel, Reading

from django_cassandra_engine.admin.changelist import PAGE_SORT_MESSAGE

pytestmark = pytest.mark.django_db(databases=["default", "sql"], transaction=True)

T0 = datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def admin_page(live_server, browser, monkeypatch):
    """A page logged in to the admin through its login form."""
    # Playwright's sync API keeps an event loop running in this thread, which Django's
    # async-safety check takes for async code; the ORM calls of these tests are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    User.objects.db_manager("sql").create_superuser("admin", "admin@example.com", "pw")
    page = browser.new_page()
    page.goto(f"{live_server.url}/admin/")
    expect(page).to_have_url(re.compile(r"/admin/login/\?next=/admin/$"))
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    expect(page.locator("#site-name")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    page.base_url = live_server.url
    return page


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"admin-{name}.png", full_page=True)


def column(page, name):
    """The texts of one column of the change list, top to bottom."""
    cells = page.locator(f"#result_list td.field-{name}, #result_list th.field-{name}")
    return [text.strip() for text in cells.all_inner_texts()]


def rows_shown(page):
    return page.locator("#result_list tbody tr").count()


def go_to_page(page, number):
    page.locator(".paginator a", has_text=re.compile(rf"^{number}$")).click()
    expect(page).to_have_url(re.compile(rf"[?&]p={number}\b"))
    expect(page.locator(".paginator .this-page")).to_have_text(str(number))


def sort_by(page, name):
    page.locator(f"#result_list th.column-{name} div.text a").click()
    page.wait_for_load_state()


def search_for(page, term):
    page.fill("#searchbar", term)
    page.press("#searchbar", "Enter")
    page.wait_for_load_state()


def select_rows(page, link_texts):
    for text in link_texts:
        row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=text))
        row.locator("input.action-select").check()


def run_delete_selected(page):
    page.select_option("select[name=action]", "delete_selected")
    page.click("button[name=index]")
    expect(page.locator("#content")).to_contain_text("Are you sure")  # the confirmation
    page.click("form input[type=submit]")  # "Yes, I'm sure"
    expect(page.locator(".messagelist .success")).to_contain_text("Successfully deleted 2")


def fill_split_datetime(page, name, value):
    """The admin's date and time inputs, in the current time zone as a person types."""
    local = timezone.localtime(value)
    page.fill(f"#id_{name}_0", local.date().isoformat())
    page.fill(f"#id_{name}_1", local.time().isoformat())


def aware(value):
    return value.replace(tzinfo=datetime.timezone.utc) if timezone.is_naive(value) else value


def test_one_column_key(admin_page):
    page = admin_page
    for i in range(7):  # list_per_page is 5
        ExampleModel.objects.create(example_type=1 + i % 2, created_at=T0, description=f"row {i}")
    page.click("a[href='/admin/testapp/examplemodel/']")
    expect(page.locator(".paginator")).to_contain_text("7 example models")
    assert rows_shown(page) == 5
    go_to_page(page, 2)
    assert rows_shown(page) == 2

    page.goto(f"{page.base_url}/admin/testapp/examplemodel/")
    sort_by(page, "description")  # a regular column: each page sorted in Python
    expect(page.locator(".messagelist .info")).to_have_text(PAGE_SORT_MESSAGE)
    shown = column(page, "description")
    assert len(shown) == 5 and shown == sorted(shown)
    sort_by(page, "description")  # again: descending
    shown = column(page, "description")
    assert shown == sorted(shown, reverse=True)

    search_for(page, "row 4")  # "=description": the whole term, by CQL
    assert column(page, "description") == ["row 4"]
    search_for(page, "")
    page.locator("#changelist-filter a", has_text="two").click()  # the kind filter
    expect(page.locator(".paginator")).to_contain_text("3 example models")
    assert sorted(column(page, "description")) == ["row 1", "row 3", "row 5"]
    screenshot(page, "examplemodel-filtered")

    page.goto(f"{page.base_url}/admin/testapp/examplemodel/add/")
    page.select_option("#id_example_type", "2")
    fill_split_datetime(page, "created_at", T0)
    page.fill("#id_description", "from the browser")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    added = ExampleModel.objects.get(description="from the browser")
    assert added.example_type == 2 and aware(added.created_at) == T0

    page.locator(".messagelist .success a").click()  # the new row, linked from the message
    page.fill("#id_description", "changed in the browser")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert ExampleModel.objects.get(example_id=added.example_id).description == (
        "changed in the browser"
    )

    page.goto(f"{page.base_url}/admin/testapp/examplemodel/{added.example_id}/change/")
    page.click("a.deletelink")
    page.click("form input[type=submit]")  # "Yes, I'm sure"
    expect(page.locator(".messagelist .success")).to_contain_text("was deleted successfully")
    assert not ExampleModel.objects.filter(example_id=added.example_id).exists()

    chosen = [row for row in ExampleModel.objects.all() if row.description in ("row 0", "row 6")]
    page.goto(f"{page.base_url}/admin/testapp/examplemodel/?example_type__exact=1")
    assert rows_shown(page) == 4
    select_rows(page, [str(row.example_id) for row in chosen])
    run_delete_selected(page)
    left = sorted(row.description for row in ExampleModel.objects.all())
    assert left == ["row 1", "row 2", "row 3", "row 4", "row 5"]


def test_composite_key(admin_page):
    page = admin_page
    values = [5, 1, 4, 0, 3, 2]
    notes = ["window open", "door closed", "Door OPEN", "", "quiet", "back door open"]
    for minute, (value, note) in enumerate(zip(values, notes, strict=True)):
        Reading.objects.create(
            sensor="hall",
            taken_at=T0 + datetime.timedelta(minutes=minute),
            value=value,
            note=note or None,
        )
    for minute in range(2):
        Reading.objects.create(sensor="attic", taken_at=T0 + datetime.timedelta(minutes=minute))

    page.click("a[href='/admin/testapp/reading/']")
    expect(page.locator(".paginator")).to_contain_text("8 readings")
    assert rows_shown(page) == 4  # list_per_page
    go_to_page(page, 2)
    assert rows_shown(page) == 4
    links = page.locator("#result_list th.field-sensor a")
    assert all("_2C" in href for href in links.evaluate_all("els => els.map(e => e.href)"))

    page.goto(f"{page.base_url}/admin/testapp/reading/")
    page.locator("#changelist-filter a", has_text="hall").click()  # one partition
    expect(page.locator(".paginator")).to_contain_text("6 readings")
    sort_by(page, "taken_at")  # a clustering column within one partition: CQL orders
    expect(page.locator(".messagelist .info")).to_have_count(0)
    first_page = [r.value for r in Reading.objects.filter(sensor="hall")][::-1][:4]
    assert column(page, "value") == [str(float(v)) for v in first_page]
    go_to_page(page, 2)
    assert column(page, "value") == ["3.0", "2.0"]  # the order goes on across pages
    screenshot(page, "reading-sorted")
    sort_by(page, "taken_at")  # descending (the table's own order)
    assert column(page, "value") == ["2.0", "3.0", "0.0", "4.0"]

    search_for(page, "door open")  # every word, case-insensitive, over a bounded scan
    assert sorted(column(page, "note")) == ["Door OPEN", "back door open"]
    search_for(page, "")

    page.goto(f"{page.base_url}/admin/testapp/reading/add/")
    page.fill("#id_sensor", "lab, bench 2")  # a comma in a key value
    fill_split_datetime(page, "taken_at", T0)
    page.fill("#id_value", "21.5")
    page.fill("#id_note", "added")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    (added,) = Reading.objects.filter(sensor="lab, bench 2")
    assert aware(added.taken_at) == T0 and added.value == 21.5

    page.goto(f"{page.base_url}/admin/testapp/reading/?sensor=lab%2C+bench+2")
    page.locator("#result_list").get_by_role("link", name="lab, bench 2").click()
    # The whole key in the URL: "lab, bench 2" (its comma escaped), then the timestamp.
    key_in_url = "lab_5C_2C%20bench%202_2C2024-05-01T12_3A00_3A00_2B00_3A00"
    expect(page).to_have_url(re.compile(rf"/admin/testapp/reading/{key_in_url}/change/"))
    expect(page.locator(".field-sensor .readonly")).to_have_text("lab, bench 2")
    page.fill("#id_value", "22.5")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert Reading.objects.get(sensor="lab, bench 2", taken_at=T0).value == 22.5

    page.goto(f"{page.base_url}/admin/testapp/reading/?sensor=lab%2C+bench+2")
    page.locator("#result_list").get_by_role("link", name="lab, bench 2").click()
    page.click("a.deletelink")
    page.click("form input[type=submit]")  # "Yes, I'm sure"
    expect(page.locator(".messagelist .success")).to_contain_text("was deleted successfully")
    assert not Reading.objects.filter(sensor="lab, bench 2").exists()

    page.goto(f"{page.base_url}/admin/testapp/reading/?sensor=attic")
    page.locator("#action-toggle").check()  # both rows of the partition
    run_delete_selected(page)
    assert not Reading.objects.filter(sensor="attic").exists()
    assert Reading.objects.filter(sensor="hall").count() == 6
