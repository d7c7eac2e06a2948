from django.db.backends.base.features import BaseDatabaseFeatures


class DatabaseFeatures(BaseDatabaseFeatures):
    """How Cassandra differs from the SQL databases Django's defaults describe."""

    # Writes are upserts applied one by one; there is no BEGIN/COMMIT/ROLLBACK. Test cases
    # therefore isolate tests by truncating tables (see DatabaseOperations.execute_sql_flush).
    supports_transactions = False
    uses_savepoints = False
    can_release_savepoints = False
    atomic_transactions = False
    can_rollback_ddl = False
    # Keys are whatever the model declares (UUIDs, text, composites); nothing auto-increments.
    supports_sequence_reset = False
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    # No joins, no foreign keys, no constraints other than the primary key.
    supports_foreign_keys = False
    supports_forward_references = False
    can_introspect_foreign_keys = False
    supports_column_check_constraints = False
    supports_table_check_constraints = False
    supports_partial_indexes = False
    supports_expression_indexes = False
    supports_deferrable_unique_constraints = False
    supports_comments = True  # table comments, as the `comment` table option
    supports_select_related = False
    supports_subqueries_in_group_by = False
    allows_group_by_selected_pks = False
    supports_slicing_ordering_in_compound = False
    supports_aggregate_filter_clause = False
    supports_over_clause = False
    # CQL has no NULL values in keys and no NULLS FIRST/LAST.
    interprets_empty_strings_as_nulls = False
    supports_order_by_nulls_modifier = False
    supports_microsecond_precision = False  # timestamps are milliseconds
    has_zoneinfo_database = False
    supports_timezones = False  # timestamps are UTC instants
    supports_json_field = False
    supports_boolean_expr_in_select_clause = False
    # Names: CQL identifiers are at most 48 characters for tables and keyspaces.
    max_query_params = None
    supports_long_model_names = False
    # Test databases are keyspaces; creating one is cheap, cloning copies the schema only.
    can_clone_databases = True
    test_db_allows_multiple_connections = True
    supports_unspecified_pk = False
