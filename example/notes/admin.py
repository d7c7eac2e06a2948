from django.contrib import admin

from notes.models import Note


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ("title", "category", "created_at")
    list_filter = ("category", "created_at")  # exact values and date ranges, with ALLOW FILTERING
    search_fields = ("=title",)  # CQL compares whole values: no substring search
    readonly_fields = ("created_at",)
    list_per_page = 20

    class Media:
        js = ["notes/timezone.js"]  # times in the visitor's zone, as on the site's pages
