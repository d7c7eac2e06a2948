#include "exec/column_mask.h"

#include "common/errors.h"
#include "cql/parser.h"
#include "functions/operations.h"
#include "functions/registry.h"
#include "types/literal.h"

namespace cqld {
namespace {

bool is_masking_function(const std::string& name) { return name.rfind("mask_", 0) == 0; }

std::string call_text(const ast::ColumnMask& mask, const std::vector<std::string>& argument_texts) {
  std::string args;
  for (const std::string& a : argument_texts) args += (args.empty() ? "" : ", ") + a;
  return mask.function.name + "(" + args + ")";
}

}  // namespace

void check_column_mask(const ast::ColumnMask& mask, const std::string& column, const TypePtr& type) {
  if (mask.is_default) return;
  // The masked column is the function's first argument; the written ones follow it.
  FunctionRegistry::CallArguments call{{type}, {nullptr}, {marshal_class(*type)}};
  std::vector<Literal> literals;
  std::vector<std::string> written;
  for (const ast::Term& term : mask.arguments) {
    auto literal = term_to_literal(term);
    if (!literal) throw InvalidRequest("Masking function arguments must be constants");
    literals.push_back(*literal);
    written.push_back(literal_source_text(*literal));
    call.types.push_back(nullptr);
    call.preferred.push_back(preferred_literal_type(*literal));
    call.texts.push_back(written.back());
  }
  const std::string& name = mask.function.name;
  bool native = mask.function.keyspace.empty() || mask.function.keyspace == "system";
  const std::vector<NativeFunction>* overloads = native ? native_functions().overloads(name) : nullptr;
  if (overloads == nullptr)
    throw InvalidRequest("Unable to find masking function for " + column + ", no declared function matches the signature " +
                         call_text(mask, written));
  if (!is_masking_function(name))
    throw InvalidRequest("Not-masking function " + call_text(mask, written) + " cannot be used for masking table columns");
  const NativeFunction& factory = native_functions().resolve(name, call, name);
  std::shared_ptr<const NativeFunction> f = factory.specialize(call.types, call.preferred, call.texts);
  for (size_t i = 0; i < literals.size(); ++i) {
    const TypePtr& expected = f->arguments.at(i + 1);
    if (!constant_assignable(literals[i], *expected))
      throw InvalidRequest("Type error: " + written[i] + " cannot be passed as argument " + std::to_string(i + 1) +
                           " of function system." + name + " of type " + type_to_cql(*expected));
    literal_to_value(literals[i], *expected, "arg" + std::to_string(i + 1) + "(system." + name + ")");
  }
  TypePtr returns = f->return_type(f->arguments);
  if (!types_equal(*returns, *type))
    throw InvalidRequest("Masking function " + call_text(mask, written) + " return type is " + type_to_cql(*returns) +
                         ". This is different to the type of the masked column " + column + " of type " +
                         type_to_cql(*type) +
                         ". Masking functions can only be attached to table columns if they return the same data type "
                         "as the masked column.");
}

}  // namespace cqld
