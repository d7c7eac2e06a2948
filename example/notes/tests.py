from django.test import Client

from django_cassandra_engine.test import TestCase
from notes.models import Note


class NotePagesTests(TestCase):
    def test_create_list_edit_delete(self):
        client = Client()
        response = client.post(
            "/new/", {"title": "First", "category": "2", "body": "b", "tags": '["x"]'}
        )
        self.assertEqual(response.status_code, 302)
        note = Note.objects.get()
        self.assertEqual((note.title, note.category, note.tags), ("First", 2, {"x"}))
        self.assertContains(client.get("/"), "First")
        self.assertContains(client.get("/?category=2"), "First")
        self.assertNotContains(client.get("/?category=1"), "First")
        client.post(f"/{note.note_id}/", {"title": "Renamed", "category": "1", "tags": "[]"})
        self.assertEqual(Note.objects.get().title, "Renamed")
        client.post(f"/{note.note_id}/delete/")
        self.assertEqual(Note.objects.count(), 0)
