"""The example's pages through Django's test client (``manage.py test notes``)."""

import datetime
import io

from django.test import Client, override_settings
from django.utils import timezone

from django_cassandra_engine.test import TestCase
from notes import cqllog
from notes.models import Note


class NotePagesTests(TestCase):
    def test_create_list_edit_delete(self):
        client = Client()
        response = client.post(
            "/new/", {"title": "First", "category": "2", "body": "b", "tags": "x, y, x"}
        )
        self.assertEqual(response.status_code, 302)
        note = Note.objects.get()
        self.assertEqual((note.title, note.category, note.tags), ("First", 2, {"x", "y"}))
        self.assertContains(client.get("/"), "First")
        self.assertContains(client.get("/?category=2"), "First")
        self.assertNotContains(client.get("/?category=1"), "First")
        client.post(f"/{note.note_id}/", {"title": "Renamed", "category": "1", "tags": ""})
        renamed = Note.objects.get()
        self.assertEqual((renamed.title, renamed.tags), ("Renamed", set()))
        self.assertEqual(renamed.created_at, note.created_at)
        client.post(f"/{note.note_id}/delete/")
        self.assertEqual(Note.objects.count(), 0)

    def test_invalid_tags_are_shown_with_the_form(self):
        response = Client().post("/new/", {"title": "T", "category": "1", "tags": '"open'})
        self.assertContains(response, "Check the quotes")
        self.assertEqual(Note.objects.count(), 0)

    def test_tag_filter_uses_the_set_column(self):
        Note.objects.create(title="Tagged", tags={"cql", "django"})
        Note.objects.create(title="Other", tags={"django"})
        response = Client().get("/?tag=cql")
        self.assertEqual([n.title for n in response.context["page"]], ["Tagged"])
        self.assertEqual(response.context["page"].paginator.count, 1)

    def test_notes_are_paged(self):
        for n in range(23):
            Note.objects.create(title=f"note {n}")
        client = Client()
        seen = []
        for number in (1, 2, 3):
            page = client.get("/", {"page": number}).context["page"]
            self.assertEqual(page.paginator.num_pages, 3)
            seen += [note.title for note in page]
        self.assertEqual(sorted(seen), sorted(f"note {n}" for n in range(23)))

    def test_times_are_shown_in_the_visitors_time_zone(self):
        written = datetime.datetime(2024, 7, 1, 8, 10, tzinfo=datetime.timezone.utc)
        Note.objects.create(title="Early", created_at=written)
        client = Client()
        self.assertContains(client.get("/"), "Jul 1, 2024, 08:10 UTC")
        client.cookies["tz"] = "America/Chicago"
        self.assertContains(client.get("/"), "Jul 1, 2024, 03:10 CDT")
        client.cookies["tz"] = "Not/A_Zone"
        self.assertContains(client.get("/"), "08:10 UTC")

    @override_settings(DEBUG=True)  # the test runner turns DEBUG, and so the CQL log, off
    def test_the_cql_page_shows_what_each_request_ran(self):
        client = Client()
        client.post("/new/", {"title": "Logged", "category": "1", "tags": "t"})
        client.get("/?tag=t")
        page = client.get("/cql/").content.decode()
        self.assertIn("INSERT INTO", page)
        self.assertIn("CONTAINS &#x27;t&#x27;", page)
        newest = cqllog.recent_requests()[0]
        self.assertEqual((newest["path"], newest["view"]), ("/?tag=t", "note-list"))
        self.assertTrue(newest["statements"])

    def test_seed_notes_fills_an_empty_table_once(self):
        from django.core.management import call_command

        call_command("seed_notes", copies=1, stdout=io.StringIO())
        count = Note.objects.count()
        self.assertGreater(count, 10)
        call_command("seed_notes", stdout=io.StringIO())
        self.assertEqual(Note.objects.count(), count)
        self.assertTrue(all(n.created_at <= timezone.now() for n in Note.objects.all()))
