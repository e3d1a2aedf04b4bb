// State: the syscall plugin's view of the machine, kept by replaying every event in order:
// threads (with their process's descriptors), users and groups, the last enter event of
// each thread, and the context of the event being processed. Seeded from a capture's
// tables (or, for live engines, from /proc). Parsers for each syscall family live in
// parsers/ and are dispatched through a table indexed by event type.
//
// Ownership: one State per plugin instance. Not thread-safe: the host serialises parse and
// extract calls on an instance. Two States in one process are independent.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "capture_reader.h"
#include "capture_writer.h"
#include "counters.h"
#include "event_context.h"
#include "event_types.h"
#include "thread_table.h"
#include "user_table.h"

namespace saker::syscall {

struct StateLimits {
  std::size_t max_threads = 131072;
  std::size_t max_fds_per_process = 4096;
  std::size_t max_users = 65536;
};

class State;
struct EventTypeTraits;  // state.cpp
using ParserFn = void (*)(State& state, EventContext& ctx);

class State {
 public:
  explicit State(const StateLimits& limits = {});
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  // Seed threads, descriptors, users and groups from a capture's list blocks, or from the
  // same tables built in memory (a live engine's /proc scan: engine/proc_scan.h). A thread
  // shares the descriptors of its process's main thread when that comes first. Polls the
  // thread's stop check (interrupt.h) every few thousand entries: false when it stopped
  // early (the tables are then partial).
  bool seed(const scap::CaptureReader& capture);
  bool seed(const scap::CaptureTables& tables);
  // The same, taking the strings of the reader's process table instead of copying them (the
  // table is left with empty strings: for a reader about to release it).
  bool seed(scap::CaptureReader& capture);
  // The same without the reader's copy of the table: given as the reader's
  // ReaderOptions::sink, seeder() takes each thread and its descriptors as the capture's
  // lists are parsed; seed_tables() then adds what the reader kept (machine, users,
  // groups). The reader polls its stop check meanwhile.
  scap::ListSink& seeder() { return seeder_; }
  void seed_tables(const scap::CaptureReader& capture);

  // Process one event payload (a scap event, optionally followed by its enter event: see
  // engine/event_payload.h): fill the context and update the tables. Returns false (and
  // counts it) when the payload is not a valid event.
  bool parse(std::span<const std::uint8_t> payload);
  // Apply a user or group list event (useradded, groupadded, userdeleted, groupdeleted) that
  // the engine does not deliver to rules: the host's users and groups change; entries of a
  // container (non-empty container_id) are not kept, as the table is the host's. Returns
  // false when `event` is not such a valid event.
  bool apply_list_event(std::span<const std::uint8_t> event);
  // The context of `payload` for extraction. Reuses the parsed context when it is the same
  // payload; otherwise builds one without changing any table.
  const EventContext* context_for(std::span<const std::uint8_t> payload);

  ThreadTable& threads() { return threads_; }
  const ThreadTable& threads() const { return threads_; }
  UserTable& users() { return users_; }
  const UserTable& users() const { return users_; }
  const StateCounters& counters() const { return counters_; }
  StateCounters& counters() { return counters_; }
  std::uint64_t boot_ts() const { return boot_ts_; }

  // Helpers for parsers.
  ThreadInfo* ensure_thread(std::int64_t tid, std::uint64_t ts);
  void mark_exited(ThreadInfo* t);
  // The directory a *at() path is relative to: cwd for AT_FDCWD, else the dirfd's path.
  // Views into the state: valid until the state changes (the next parse step).
  std::string_view dirfd_path(const EventContext& ctx, std::int64_t dirfd);
  std::string_view cwd_of(ThreadInfo* t);
  // A buffer parsers may build a path in (reused across events).
  std::string& path_scratch() { return path_scratch_; }

 private:
  std::string path_scratch_;
  // ProcessList: a span of const (copied) or non-const (taken) process entries.
  class Seeder final : public scap::ListSink {
   public:
    explicit Seeder(State& s) : s_(s) {}
    void thread(scap::ProcessEntry& p) override;
    bool has_thread(std::uint64_t tid) const override;
    void fds(std::uint64_t tid, std::vector<scap::FdEntry>& fds) override;

   private:
    State& s_;
    const ThreadInfo* prev_ = nullptr;  // the thread seeded before
  };
  // One thread of a capture's table (P: scap::ProcessEntry, const or not; see state.cpp),
  // after `prev`; its descriptors are added by seed_fds.
  template <typename P>
  ThreadInfo* seed_thread(P& p, const ThreadInfo* prev);
  template <typename Fds>
  void seed_fds(ThreadInfo* t, Fds& fds);
  template <typename ProcessList>
  bool seed_lists(const scap::MachineInfo* machine, std::span<const scap::UserEntry> users,
                  std::span<const scap::GroupEntry> groups, ProcessList processes);
  bool prepare(std::span<const std::uint8_t> payload, bool mutate);
  void resolve_fd(EventContext& ctx, const EventTypeTraits& tt);
  const EventTypeTraits& traits(std::uint16_t type) const;
  void remember_enter(const scap::EventView& v);
  void flush_exited();

  StateLimits limits_;
  StateCounters counters_;
  ThreadTable threads_;
  UserTable users_;
  std::uint64_t boot_ts_ = 0;
  EventContext ctx_;
  std::unordered_map<std::int64_t, std::vector<std::uint8_t>> last_enter_;
  std::vector<std::int64_t> exited_;
  std::array<ParserFn, scap::kEventTypeCount> parsers_{};
  const EventTypeTraits* traits_;  // per event type, shared by every State (state.cpp)
  Seeder seeder_{*this};
};

}  // namespace saker::syscall
