// DROP MATERIALIZED VIEW: the view's table and its data go; the base table is untouched.
#include "common/errors.h"
#include "exec/statements/schema_change.h"

namespace cqld {

Result drop_view(const DdlContext& ctx, const ast::DropMaterializedViewStatement& s) {
  std::string ks_name = statement_keyspace(s.view.keyspace, *ctx.client);
  refuse_system(ks_name);
  return to_result(ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    const TableDef* view = schema.find_table(ks_name, s.view.name);
    if (view == nullptr || !view->is_view()) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Materialized view '" + ks_name + "." + s.view.name + "' doesn't exist");
    }
    mutable_keyspace(schema, ks_name).tables.erase(s.view.name);
    return change(Change::kDropped, Target::kTable, ks_name, s.view.name);
  }));
}

}  // namespace cqld
