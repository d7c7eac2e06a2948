"""How Cassandra differs from the SQL databases Django's defaults describe.

Django's own test suite reads these flags to skip what does not apply; code may read them too.
Each says why. The engine answers joins, filters, grouping and ordering in Python (orm/), so
many SQL features are available; what CQL and a Python evaluator cannot give is off.
"""

from django.db.backends.base.features import BaseDatabaseFeatures
from django.db.utils import ProgrammingError


class DatabaseFeatures(BaseDatabaseFeatures):
    # Transactions. Writes are applied one by one; there is no BEGIN/COMMIT/ROLLBACK, so
    # atomic() blocks run in autocommit (a failure leaves what was written before it), and test
    # cases isolate tests by truncating tables (DatabaseOperations.execute_sql_flush).
    supports_transactions = False
    uses_savepoints = False
    can_release_savepoints = False
    atomic_transactions = False
    can_rollback_ddl = False
    autocommits_when_autocommit_is_off = True
    # No row locks: select_for_update() raises NotSupportedError, except plainly inside an
    # atomic() block (update_or_create() uses it there), where it reads without locking.
    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    supports_select_for_update_with_limit = False

    # Keys. AutoField values come from sequences reserved with lightweight transactions
    # (orm/sequences.py) and are known before the insert, so inserts return them.
    can_return_columns_from_insert = True
    can_return_rows_from_bulk_insert = True
    supports_sequence_reset = True
    supports_unspecified_pk = False
    # bulk_create(ignore_conflicts=True) skips rows whose key or unique values exist
    # (INSERT ... IF NOT EXISTS); upserts on another conflict target are not offered.
    supports_ignore_conflicts = True
    supports_update_conflicts = False
    supports_update_conflicts_with_target = False

    # Constraints. The primary key, unique fields, unique_together and unconditional
    # UniqueConstraints are enforced (orm/uniqueness.py); NOT NULL and positive integer
    # columns are checked on write. Foreign keys are indexed, not enforced (no cascades in
    # the database; Django's on_delete runs in Python as usual). Check constraints and
    # conditional or expression unique constraints are not enforced in the database.
    supports_foreign_keys = False
    can_create_inline_fk = False
    indexes_foreign_keys = True
    supports_forward_references = True
    can_introspect_foreign_keys = False
    supports_column_check_constraints = False
    supports_table_check_constraints = False
    can_introspect_check_constraints = False
    supports_partial_indexes = False
    supports_functions_in_partial_indexes = False
    supports_expression_indexes = False
    supports_covering_indexes = False
    supports_deferrable_unique_constraints = False
    supports_nulls_distinct_unique_constraints = False
    allows_multiple_constraints_on_same_fields = False
    # A secondary index covers one column, in no order; indexes are not renamed in place.
    supports_index_column_ordering = False
    can_rename_index = False
    # Columns have no defaults in CQL: defaults are applied by Django before the insert, and
    # for existing rows when a migration adds a column.
    supports_expression_defaults = False
    supports_default_keyword_in_insert = False
    supports_default_keyword_in_bulk_insert = False
    can_introspect_default = False
    requires_literal_defaults = True
    connection_persists_old_columns = True

    # Queries. Joins, OR/NOT, text lookups, ordering by any column, grouping, aggregates,
    # subqueries and DISTINCT are evaluated in Python over rows read by CQL.
    supports_select_related = True
    supports_subqueries_in_group_by = True
    allows_group_by_selected_pks = False
    allows_group_by_select_index = False
    update_can_self_select = False  # updates read the matching keys first
    delete_can_self_reference_subquery = True
    supports_aggregate_filter_clause = True
    supports_boolean_expr_in_select_clause = True
    supports_comparing_boolean_expr = True
    supports_order_by_nulls_modifier = True
    nulls_order_largest = False  # NULLs sort first ascending, as in SQLite
    order_by_nulls_first = False
    greatest_least_ignores_nulls = False
    supports_regex_backreferencing = True  # Python's re
    has_case_insensitive_like = False  # contains is case-sensitive, icontains is not
    supports_date_lookup_using_string = False
    supports_temporal_subtraction = True
    supports_logical_xor = True
    supports_tuple_lookups = True
    can_distinct_on_fields = False
    # union(), intersection() and difference() combine the parts' rows in Python; each part
    # may be ordered and sliced. Window functions are not implemented.
    supports_select_union = True
    supports_select_intersection = True
    supports_select_difference = True
    supports_slicing_ordering_in_compound = True
    supports_over_clause = False
    supports_frame_range_fixed_distance = False
    # Collations, JSON and generated columns have no CQL counterpart here.
    supports_collation_on_charfield = False
    supports_collation_on_textfield = False
    supports_non_deterministic_collations = False
    supports_json_field = False
    can_introspect_json_field = False
    has_json_object_function = False
    supports_stored_generated_columns = False
    supports_virtual_generated_columns = False

    # Types. Timestamps are milliseconds in UTC (instants, no zone kept); CQL's uuid type
    # holds UUIDs; durations are stored as bigint microseconds (CQL's duration cannot be
    # compared or ordered); text has no length limit.
    supports_microsecond_precision = False
    supports_timezones = False
    has_zoneinfo_database = True  # zones are applied in Python (zoneinfo)
    has_native_uuid_field = True
    has_native_duration_field = False
    interprets_empty_strings_as_nulls = False
    supports_unlimited_charfield = True
    supports_index_on_text_field = True
    has_real_datatype = True
    rounds_to_even = False
    supports_cast_with_precision = False
    time_cast_precision = 6
    # A table has no comment per column; table comments are the 'comment' table option.
    supports_comments = False
    supports_comments_inline = False

    # Names: keyspaces are at most 48 characters, and tables too on Cassandra before 5.0 and on
    # ScyllaDB (5.0 allows 222); the backend keeps every name to 48 so a schema runs on all of them.
    max_query_params = None
    supports_long_model_names = False
    truncates_names = False
    ignores_table_name_case = False
    supports_tablespaces = False

    # Explain prints the plan: CQL statements and the steps run in Python.
    supports_explaining_query_execution = True
    supported_explain_formats = {"TEXT"}

    # Test databases are keyspaces; cloning one for a parallel worker copies its tables and
    # rows.
    can_clone_databases = True
    test_db_allows_multiple_connections = True
    can_use_chunked_reads = True
    closed_cursor_error_class = ProgrammingError
    supports_paramstyle_pyformat = False
    schema_editor_uses_clientside_param_binding = False
