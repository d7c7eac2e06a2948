// What views impose on ALTER TABLE of their base table, and how they follow it: a view's key
// and columns are the base's, so no column a view may copy can be dropped, a renamed key
// column is renamed in the views, and a column added to the base joins the views of SELECT *.
#include "common/errors.h"
#include "exec/statements/schema_change.h"
#include "schema/view.h"

namespace cqld {

void check_base_alter(const KeyspaceDef& ks, const TableDef& base, const ast::AlterTableStatement& s) {
  if (base.is_view())
    throw InvalidRequest("Cannot use ALTER TABLE on a materialized view; use ALTER MATERIALIZED VIEW instead");
  if (s.action != ast::AlterTableStatement::Action::kDrop || views_of(ks, base.name).empty()) return;
  for (const auto& name : s.drop)
    if (base.find_column(name) != nullptr)
      throw InvalidRequest("Cannot drop column " + name + " on base table " + base.name + " with materialized views");
}

namespace {

void add_to_view(const TableDef& base, const ast::AlterTableStatement& s, TableDef* view) {
  for (const auto& def : s.add) {
    const ColumnDef* c = base.find_column(def.name);
    if (c == nullptr || c->kind == ColumnKind::kStatic || view->find_column(def.name) != nullptr) continue;
    ColumnDef copy = *c;
    copy.id = view->next_column_id++;
    view->columns.push_back(std::move(copy));
  }
  sort_columns(*view);
}

void rename_in_view(const ast::AlterTableStatement& s, TableDef* view) {
  auto def = std::make_shared<ViewDef>(*view->view);
  for (const auto& [from, to] : s.renames) {
    int i = view->column_index(from);
    if (i >= 0) view->columns[static_cast<size_t>(i)].name = to;
    for (auto& r : def->restrictions)
      if (r.column == from) r.column = to;
  }
  view->view = def;
}

}  // namespace

void follow_base_alter(KeyspaceDef& ks, const TableDef& base, const ast::AlterTableStatement& s) {
  using Action = ast::AlterTableStatement::Action;
  if (s.action != Action::kAdd && s.action != Action::kRename) return;
  for (const TableDef* v : views_of(ks, base.name)) {
    if (s.action == Action::kAdd && !v->view->include_all_columns) continue;
    auto view = mutable_table(ks, v->name);
    if (s.action == Action::kAdd) add_to_view(base, s, view.get());
    else rename_in_view(s, view.get());
  }
}

}  // namespace cqld
