// Small text helpers shared by every module: ASCII case folding (CQL identifiers and keywords
// fold ASCII letters only), hex formatting of bytes, and UTF-8 (strict: no overlong forms, no
// surrogates, nothing above U+10FFFF) as Java reads it.
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

// The length (1 to 4) of the valid UTF-8 character starting at text[pos], or 0 if the bytes
// there are not one.
size_t utf8_char_length(std::string_view text, size_t pos);
bool is_valid_utf8(std::string_view text);
// The text with every byte that does not start a valid character replaced by U+FFFD, as Java
// decodes it; client text quoted in an error message passes through this.
std::string to_valid_utf8(std::string_view text);
// The longest prefix of at most "max_bytes" bytes that does not cut a character.
std::string_view utf8_prefix(std::string_view text, size_t max_bytes);
// How many Java chars (UTF-16 code units) the text is: Cassandra's error positions count them.
size_t utf16_length(std::string_view text);

}  // namespace cqld
