from django.contrib import admin

from testapp.models import ExampleModel, Profile


@admin.register(ExampleModel)
class ExampleModelAdmin(admin.ModelAdmin):
    list_display = ("example_id", "example_type", "description", "created_at")
    list_filter = ("example_type",)
    search_fields = ("=description", "=example_id")
    list_per_page = 5


admin.site.register(Profile)
