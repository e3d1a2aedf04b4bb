// Hostile captures for the hostile-input suite: built in the test from the scap writer and
// the event table (no checked-in binaries), or derived from an upstream capture read in
// place (../shared/testdata).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace saker::hostile {

// The decompressed bytes of a (possibly gzip) capture file.
std::vector<std::uint8_t> read_capture_bytes(const std::string& path);

// `capture` (plain bytes) with `bad` event blocks inserted after every `every`-th event block
// (each a different kind of malformed event: parameter lengths beyond the event, an event
// length beyond its block, a length below the header, an absurd parameter count).
// Returns the new bytes; *inserted receives how many were inserted.
std::vector<std::uint8_t> with_malformed_events(const std::vector<std::uint8_t>& capture,
                                                std::size_t every, std::size_t* inserted);

// A plain capture whose process list holds `threads` threads (processes of 100 threads),
// plus one "cat" process (tid kCatTid) that opens /dev/null `opens` times.
inline constexpr std::uint64_t kCatTid = 4000000;
void write_big_process_list(const std::string& path, std::size_t threads, std::size_t opens);

// A plain capture of `events` getsockname events, each from a tid met nowhere before, with
// the "cat" process (in the process list) opening /dev/null every `cat_every` events (and
// at the start): 1 + events / cat_every alerts.
void write_distinct_tids(const std::string& path, std::size_t events, std::size_t cat_every);

// The capture header and lists of write_big_process_list(path, 0, 0) as bytes, then
// cat opens as bytes (for streaming through a pipe).
std::vector<std::uint8_t> small_capture_header();
std::vector<std::uint8_t> cat_open_event_block(std::uint64_t ts);

// Capture list blocks without end (plain bytes, from a capture read in place):
// `list_head(capture)` is its section header and list blocks (everything before its first
// event block), `list_events(capture)` the rest; `thread_list_block(threads, first_tid)` a
// process list block (v9) of `threads` threads numbered from `first_tid`.
std::vector<std::uint8_t> list_head(const std::vector<std::uint8_t>& capture);
std::vector<std::uint8_t> list_events(const std::vector<std::uint8_t>& capture);
std::vector<std::uint8_t> thread_list_block(std::size_t threads, std::uint64_t first_tid);
// Renumbers the threads of a thread_list_block() in place: tids and pids += `delta`.
void shift_thread_block(std::vector<std::uint8_t>& block, std::uint64_t delta);

}  // namespace saker::hostile
