#include "exec/secondary_index.h"

#include "exec/sai_index.h"
#include "storage/row_reader.h"

namespace cqld {

bool keeps_entries(const TableDef& table, const IndexDef& index) {
  const ColumnDef* column = table.find_column(index.column);
  if (column == nullptr || column->kind != ColumnKind::kRegular || table.is_view()) return false;
  const CqlType& type = *column->type;
  if (type.is_multi_cell() || type.kind == TypeKind::kVector || type.kind == TypeKind::kCounter) return false;
  bool target = index.target == IndexTarget::kFull || (index.target == IndexTarget::kValues && !type.is_collection());
  if (!target) return false;
  // An analyzed SAI compares text as it analyzes it; its entries would have to be analyzed too.
  return !is_sai(index) || !text_analyzer(index).analyzes();
}

std::optional<size_t> entry_index_for(const TableDef& table, const ColumnDef& column) {
  for (size_t i = 0; i < table.indexes.size(); ++i) {
    const IndexDef& index = table.indexes[i];
    if (index.column == column.name && index.storage_id != 0 && !index.building) return i;
  }
  return std::nullopt;
}

}  // namespace cqld
