from django.contrib import admin

from testapp.models import ExampleModel, Profile, Reading


@admin.register(ExampleModel)
class ExampleModelAdmin(admin.ModelAdmin):
    list_display = ("example_id", "example_type", "description", "created_at")
    list_filter = ("example_type",)
    search_fields = ("=description", "=example_id")
    list_per_page = 5


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin):
    """A composite primary key (sensor, taken_at): rows named by both in their URLs."""

    list_display = ("sensor", "taken_at", "value", "note")
    list_filter = ("sensor",)
    search_fields = ("note", "^sensor")
    list_per_page = 4


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("username", "address", "tags", "active")
    search_fields = ("username", "address")
