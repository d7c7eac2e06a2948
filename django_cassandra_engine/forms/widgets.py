"""Widgets for map, user type and tuple columns; templates in
templates/django_cassandra_engine/widgets/ (found through INSTALLED_APPS)."""

from __future__ import annotations

import itertools
from typing import Any

from django import forms

STYLESHEET = "django_cassandra_engine/forms.css"  # a static file (django.contrib.staticfiles)


class KeyValueWidget(forms.Widget):
    """A table of key and value inputs, one row per entry plus blank rows to add entries (no
    JavaScript needed: saving the form shows new blank rows).

    Its data is a list of (key, value) strings, rows ``<name>_key_<n>``/``<name>_value_<n>``.
    """

    template_name = "django_cassandra_engine/widgets/key_value.html"
    blank_rows = 2

    class Media:
        css = {"all": [STYLESHEET]}

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        key_label: str = "Key",
        value_label: str = "Value",
    ) -> None:
        super().__init__(attrs)
        self.key_label = key_label
        self.value_label = value_label

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, None, attrs)
        pairs = list(value or ()) + [("", "")] * self.blank_rows
        context["widget"].update(
            key_label=self.key_label,
            value_label=self.value_label,
            rows=[
                {
                    "number": n + 1,
                    "key_name": f"{name}_key_{n}",
                    "value_name": f"{name}_value_{n}",
                    "key": key,
                    "value": item,
                }
                for n, (key, item) in enumerate(pairs)
            ],
        )
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_key_0" if id_ else id_

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[tuple[str, str]] | None:
        if self.value_omitted_from_data(data, files, name):
            return None
        pairs = []
        for n in itertools.count():
            key_name, value_name = f"{name}_key_{n}", f"{name}_value_{n}"
            if key_name not in data and value_name not in data:
                return pairs
            pairs.append((data.get(key_name, ""), data.get(value_name, "")))
        raise AssertionError("unreachable")

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}_key_0" not in data and f"{name}_value_0" not in data


class StructuredWidget(forms.MultiWidget):
    """One labelled input per field of a user type (or element of a tuple)."""

    template_name = "django_cassandra_engine/widgets/structured.html"

    class Media:
        css = {"all": [STYLESHEET]}

    def __init__(
        self,
        widgets: dict[str, forms.Widget],
        labels: list[str],
        attrs: dict[str, Any] | None = None,
    ) -> None:
        self.labels = labels
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        # The field gives the widget a list already (StructuredField.prepare_value).
        return [None] * len(self.widgets)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        for subwidget, label in zip(context["widget"]["subwidgets"], self.labels, strict=True):
            subwidget["label"] = label
        return context
