// The time of a record: eventTime ("2024-07-31T13:06:24Z", fractions of a second and
// numeric offsets accepted) as nanoseconds since the epoch. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace saker::cloudtrail {

// An RFC 3339 time; nullopt when malformed or outside 1970..2262 (u64 nanoseconds).
std::optional<uint64_t> parse_rfc3339(std::string_view text);
// eventTime of a compact record; nullopt when absent or malformed.
std::optional<uint64_t> record_time(std::string_view record);

}  // namespace saker::cloudtrail
