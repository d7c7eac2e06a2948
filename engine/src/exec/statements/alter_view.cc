// ALTER MATERIALIZED VIEW: table options only, with the one a view may not have.
#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"

namespace cqld {

Result alter_view(const DdlContext& ctx, const ast::AlterMaterializedViewStatement& s) {
  std::string ks_name = statement_keyspace(s.view.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const TableDef* view = schema.find_table(ks_name, s.view.name);
    if (view == nullptr || !view->is_view()) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Materialized view '" + ks_name + "." + s.view.name + "' doesn't exist");
    }
    auto t = mutable_table(mutable_keyspace(schema, ks_name), s.view.name);
    apply_table_properties(s.properties, &t->options);
    if (std::get<int32_t>(t->options["default_time_to_live"]) > 0)
      throw InvalidRequest("Forbidden default_time_to_live detected for a materialized view. Data in a materialized view "
                           "always expire at the same time than the corresponding data in the parent table. "
                           "default_time_to_live must be set to zero, see CASSANDRA-12868 for more information");
    return change(Change::kUpdated, Target::kTable, ks_name, s.view.name);
  }));
}

}  // namespace cqld
