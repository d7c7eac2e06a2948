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

Result truncate_table(const DdlContext& ctx, const ast::TruncateStatement& s) {
  std::string ks_name = statement_keyspace(s.table.keyspace, *ctx.client);
  SchemaPtr schema = ctx.schema->current();
  if (is_system_keyspace(ks_name)) refuse_system(ks_name);
  if (!schema->find_keyspace(ks_name)) throw InvalidRequest("keyspace " + ks_name + " does not exist");
  const TableDef* t = schema->find_table(ks_name, s.table.name);
  if (t == nullptr) throw InvalidRequest("table " + s.table.name + " does not exist");
  if (t->is_view())
    throw InvalidRequest("Cannot TRUNCATE materialized view directly; must truncate base table instead");
  std::vector<uint32_t> index_ids;
  for (const IndexDef& index : t->indexes)
    if (index.storage_id != 0) index_ids.push_back(index.storage_id);
  check_write(ctx.store->truncate(t->storage_id, index_ids));
  for (const TableDef* view : views_of(*schema->find_keyspace(ks_name), t->name))
    check_write(ctx.store->truncate(view->storage_id));
  return VoidResult{};
}

}  // namespace cqld
