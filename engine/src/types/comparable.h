// Byte-comparable encoding of CQL values (see shared reference ByteComparable.md): the
// unsigned byte order of the encodings equals compare_values() order, so RocksDB's bytewise
// comparator sorts keys in CQL order. Encodings are self-delimiting so components concatenate.
#pragma once

#include <string>
#include <string_view>

#include "types/cql_type.h"

namespace cqld {

// Appends the encoding of a serialized value; "descending" inverts the order (CLUSTERING ORDER
// DESC) by complementing the bytes. An empty value (zero bytes) is encoded distinctly and sorts
// first among values of the type.
void append_comparable(const CqlType& type, std::string_view value, bool descending,
                       std::string* out);

// Whether read_comparable gives back exactly the bytes written. It does not for values that
// compare equal in other forms: a decimal's scale (1.5 == 1.50) and a varint's redundant sign
// bytes, alone or inside a frozen collection, tuple or UDT. Keys of such types are the same key
// for equal values, as in Cassandra; storage keeps the written bytes beside them.
bool comparable_is_exact(const CqlType& type);

// Decodes one component written by append_comparable from the front of "*in", advancing it.
// Returns the serialized value. Throws std::runtime_error on corrupt input.
std::string read_comparable(const CqlType& type, bool descending, std::string_view* in);

}  // namespace cqld
