// CQL literals as written in statement text, and their conversion to typed values.
// The parser produces Literal trees; binding a literal to a column type yields a Value.
#pragma once

#include <string>
#include <vector>

#include "types/cql_type.h"
#include "types/value.h"

namespace cqld {

struct Literal {
  enum class Kind : uint8_t {
    kString,    // 'text' (quotes removed, '' unescaped) or $$text$$
    kInteger,   // -?[0-9]+ (text kept, may exceed 64 bits: varint)
    kFloat,     // 1.5, -2e10, NaN, -NaN, Infinity, -Infinity (text kept as written)
    kBoolean,   // true/false, any case (text is "true" or "false")
    kUuid,      // unquoted uuid (text kept)
    kHex,       // 0x0102 blob (text kept without the 0x prefix)
    kDuration,  // 1h30m, P1DT2H, ... (text kept)
    kNull,      // NULL
    kList,      // [a, b]
    kSet,       // {a, b}
    kMap,       // {k: v, ...}; elements alternate key, value. "{}" is kMap with no elements and
                // is accepted for sets too.
    kTuple,     // (a, b)
    kUdt,       // {field: value, ...}; field_names parallel to elements
  };
  Kind kind = Kind::kNull;
  std::string text;
  std::vector<Literal> elements;
  std::vector<std::string> field_names;  // kUdt only (already case-folded unless quoted)
};

// Converts a literal to the serialized value of "type", with Cassandra's rules: integers into
// any integer type with range checks, integers as timestamp milliseconds and as unsigned date
// day counts (2^31 = epoch), strings into dates/times/timestamps/inet/uuid/duration/ascii/
// text/varint/decimal..., hex into blob only, {} into empty set or map, nested collections,
// tuples and UDTs. Throws InvalidRequest ("Invalid INTEGER constant (x) for "col" of type
// int" and the like) on a mismatch. "receiver" names the column for error messages.
Value literal_to_value(const Literal& literal, const CqlType& type, const std::string& receiver);

// The type Cassandra prefers for a constant where nothing else decides (an overloaded function's
// argument): int for an integer that fits (else bigint, else varint), double for a floating
// one, text, boolean, uuid, blob, duration; null for NULL and collections.
TypePtr preferred_literal_type(const Literal& literal);
// The literal as Cassandra quotes it back (Term.Raw.getText()): 'a', 0x01, NULL, [1, 2], {k: v}.
std::string literal_source_text(const Literal& literal);

}  // namespace cqld
