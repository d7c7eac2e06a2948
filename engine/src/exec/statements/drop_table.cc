#include <algorithm>
#include <set>

#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "exec/table_options.h"
#include "exec/type_resolver.h"
#include "exec/write_failure.h"
#include "schema/system_tables.h"
#include "schema/view.h"

namespace cqld {

Result drop_table(const DdlContext& ctx, const ast::DropTableStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  refuse_system(ks_name);
  auto r = ctx.schema->apply([&](Schema& schema) -> std::optional<SchemaChangeResult> {
    if (!schema.find_keyspace(ks_name)) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Keyspace '" + ks_name + "' doesn't exist");
    }
    const TableDef* t = schema.find_table(ks_name, s.table.name);
    if (t == nullptr) {
      if (s.if_exists) return std::nullopt;
      throw InvalidRequest("Table '" + ks_name + "." + s.table.name + "' doesn't exist");
    }
    if (t->is_view())
      throw InvalidRequest("Cannot use DROP TABLE on a materialized view. Please use DROP MATERIALIZED VIEW instead.");
    if (!views_of(*schema.find_keyspace(ks_name), t->name).empty())
      throw InvalidRequest("Cannot drop a table when materialized views still depend on it (" + ks_name + ")");
    mutable_keyspace(schema, ks_name).tables.erase(s.table.name);
    return change(Change::kDropped, Target::kTable, ks_name, s.table.name);
  });
  return to_result(r);
}

}  // namespace cqld
