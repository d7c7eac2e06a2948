// Dates and times in CQL: parsing the strings Cassandra accepts for timestamp, date and time
// literals (with its error messages), and formatting them back. All calendar arithmetic is
// proleptic Gregorian in UTC, as Cassandra's java.time code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cqld {

// Milliseconds since the epoch from "now", an integer string, or any TimestampSerializer
// pattern ("2024-01-02", "2024-01-02 03:04", "2024-01-02T03:04:05.678+01:00", ...). Strings
// without a zone are UTC. Throws InvalidRequest with Cassandra's message.
int64_t parse_timestamp(std::string_view text);

// A date's serialized form (days since the epoch + 2^31, unsigned) from "yyyy-mm-dd" or a raw
// unsigned day count. Throws InvalidRequest with Cassandra's message.
uint32_t parse_date(std::string_view text);

// Nanoseconds since midnight from "hh:mm:ss[.fffffffff]" or a raw count. Throws InvalidRequest.
int64_t parse_time(std::string_view text);

// "2024-01-02 03:04:05.678Z" (UTC, milliseconds).
std::string format_timestamp(int64_t millis);
// "2024-01-02"; years beyond 9999 get a sign, as java.time prints them.
std::string format_date(uint32_t serialized_days);
// "03:04:05.678901234".
std::string format_time(int64_t nanos);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);
void civil_from_days(int64_t days, int64_t* year, unsigned* month, unsigned* day);

}  // namespace cqld
