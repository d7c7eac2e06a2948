// Small text helpers shared by every module: ASCII case folding (CQL identifiers and keywords
// fold ASCII letters only) and hex formatting of bytes.
#pragma once

#include <string>
#include <string_view>

namespace cqld {

// The text with ASCII letters in lower case; other bytes (UTF-8 included) unchanged.
std::string ascii_lower(std::string_view text);
// Equality ignoring the case of ASCII letters.
bool ascii_iequals(std::string_view a, std::string_view b);
// Lower-case hex digits of every byte, without a prefix.
std::string to_hex(std::string_view bytes);

}  // namespace cqld
