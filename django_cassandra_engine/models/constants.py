"""Messages of the original package's ``models.constants``, for code that imports them."""

ORDER_BY_WARN = (
    'order_by() with column "{col}" failed; ordering in Python instead. The error was: {exc}'
)
ORDER_BY_ERROR_HELP = (
    "To sort in Python instead, set CASSANDRA_FALLBACK_ORDER_BY_PYTHON = True in the settings."
)
PK_META_MISSING_HELP = (
    "{} has a primary key of several columns: name the one Django code (pk lookups, forms, "
    "the admin) uses in its Meta, e.g. class Meta: get_pk_field = 'id'."
)
