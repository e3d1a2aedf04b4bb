// Helpers for the live driver tests (root): a driver filtered on the test's own process,
// and waiting for the events a test triggered.
#pragma once

#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "state/paths.h"
#include "engine/event_payload.h"
#include "engine/live_driver.h"
#include "engine/x86_64_syscalls.h"
#include "event_table.h"
#include "event_view.h"
#include "syscall_names.h"

namespace saker::syscall::testing {

inline std::string hex(const std::uint8_t* p, std::size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < n && i < 128; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
    if (i % 4 == 3) s += ' ';
  }
  return s;
}

inline bool running_as_root() { return geteuid() == 0; }

// One event copied out of the ring (views into the ring do not outlive the next read).
struct CapturedLive {
  std::vector<std::uint8_t> bytes;
  std::optional<std::uint16_t> cpu;
  scap::EventView view() const { return *scap::EventView::make(bytes); }
};

class LiveHarness {
 public:
  // `opts.trace_self` stays as given only with `keep_self_filter` (the test of that filter);
  // otherwise the harness traces its own process, the point of these tests.
  explicit LiveHarness(const std::vector<std::string>& syscalls, LiveDriverOptions opts = {},
                       bool keep_self_filter = false)
      : keep_self_filter_(keep_self_filter) {
    opts.target_tgid = static_cast<std::uint32_t>(getpid());
    if (!keep_self_filter_) opts.trace_self = true;
    if (opts.buffer_bytes == (8u << 20)) opts.buffer_bytes = 1u << 20;
    driver_ = std::make_unique<LiveDriver>(opts);
    std::vector<std::uint32_t> nrs;
    for (const auto& s : syscalls) nrs.push_back(*x86_64_syscall_nr(s));
    driver_->set_syscalls(nrs);
  }

  LiveDriver& driver() { return *driver_; }

  // The next event of `type` that `pred` accepts (default: any), or nullopt after `ms`.
  std::optional<CapturedLive> next(std::uint16_t type,
                                   const std::function<bool(const scap::EventView&)>& pred = {},
                                   int ms = 1500) {
    return wait_for(
        [&](const scap::EventView& v) { return v.type() == type && (!pred || pred(v)); }, ms);
  }

  // Reads events until `pred` accepts one (returned) or `ms` pass. Events read but not
  // accepted stay queued, in order, for the next call: a batch from the ring may hold the
  // events several waits are looking for.
  std::optional<CapturedLive> wait_for(const std::function<bool(const scap::EventView&)>& pred,
                                       int ms = 2000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    std::size_t scanned = 0;
    for (;;) {
      for (; scanned < pending_.size(); ++scanned) {
        if (pred(pending_[scanned].view())) {
          CapturedLive found = std::move(pending_[scanned]);
          pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(scanned));
          return found;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      read_batch();
    }
  }

  // Drops every queued event (a test section starting afresh).
  void drain() {
    read_batch();
    pending_.clear();
  }

  // Event names seen so far (for failure messages).
  std::string seen() const {
    std::string s;
    for (const auto& n : seen_) s += n + " ";
    return s;
  }

 private:
  void read_batch() {
    std::vector<RingRecord> recs;
    driver_->next(recs, 4096, 50);
    for (const auto& r : recs) {
      auto parts = split_payload({r.data, r.size});
      std::string why;
      auto v = scap::EventView::make(parts.event, &why);
      REQUIRE_MESSAGE(v.has_value(), "the driver wrote an invalid event: "
                                         << why << " (type "
                                         << scap::load_le<std::uint16_t>(r.data + 20) << ", "
                                         << r.size << " bytes) " << hex(r.data, r.size));
      seen_.push_back(std::string(v->name()));
      pending_.push_back(CapturedLive{
          std::vector<std::uint8_t>(parts.event.begin(), parts.event.end()), parts.cpu});
    }
  }

  bool keep_self_filter_ = false;
  std::unique_ptr<LiveDriver> driver_;
  std::vector<std::string> seen_;
  std::deque<CapturedLive> pending_;
};

// Convenience accessors by parameter name.
inline std::optional<std::int64_t> pint(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_int(*i) : std::nullopt;
}
inline std::optional<std::uint64_t> puint(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_uint(*i) : std::nullopt;
}
inline std::string pstr(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  auto s = i ? v.param_str(*i) : std::nullopt;
  return s ? std::string(*s) : std::string("<absent>");
}
// The caller's argument kept behind the kernel's path in an open's name ("" if none).
inline std::string praw(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  if (!i) return "<absent>";
  return std::string(raw_after_path(v.param(*i)));
}
// The raw bytes of a parameter (byte buffers, NUL-separated lists).
inline std::string pbytes(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  if (!i) return "<absent>";
  auto b = v.param(*i);
  return std::string(reinterpret_cast<const char*>(b.data()), b.size());
}
// The on-wire size of a parameter (width checks: a u32 must take 4 bytes, not 8).
inline std::size_t psize(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param(*i).size() : 0;
}
inline std::optional<scap::SockAddr> paddr(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_sockaddr(*i) : std::nullopt;
}
inline std::optional<scap::SockTuple> ptuple(const scap::EventView& v, std::string_view name) {
  auto i = v.param_index(name);
  return i ? v.param_socktuple(*i) : std::nullopt;
}

// Checks what every live exit event must satisfy: sent by the expected thread, every
// parameter of the current layout present (the count the event table declares), and each
// fixed-width parameter exactly as wide as its type.
inline void check_header(const scap::EventView& v, std::uint16_t type, long tid) {
  CHECK(v.type() == type);
  CHECK(v.tid() == static_cast<std::uint64_t>(tid));
  const auto& info = scap::event_info(type);
  // execve's exit carries libs 0.23's 31st parameter (filename) beyond the table's 30
  const std::uint32_t extra = type == SAKER_EVT_EXECVE_19_X ? 1 : 0;
  CHECK(v.nparams() == info.nparams + extra);
  for (std::uint32_t i = 0; i < v.nparams() && i < info.nparams; ++i) {
    const std::size_t want = scap::fixed_width(info.params[i].type);
    if (want != 0 && !v.param(i).empty()) {
      CAPTURE(std::string(info.params[i].name));
      CHECK(v.param(i).size() == want);
    }
  }
}
inline long this_tid() { return static_cast<long>(::syscall(SYS_gettid)); }

// The scap syscall code of a syscall name (generic events' ID parameter); 0 if unknown.
inline std::uint16_t scap_code(std::string_view name) { return scap::syscall_code_of(name); }

// Removes `name` under `dirfd` with everything below it, by descriptor, so that trees
// deeper than PATH_MAX (the long-path tests) go too.
inline void remove_tree_at(int dirfd, const char* name) {
  if (unlinkat(dirfd, name, 0) == 0) return;
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  DIR* d = fdopendir(fd);
  if (!d) {
    close(fd);
    return;
  }
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n == "." || n == "..") continue;
    remove_tree_at(::dirfd(d), n.c_str());
  }
  closedir(d);
  unlinkat(dirfd, name, AT_REMOVEDIR);
}

// A temporary directory, removed with everything in it at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/saker-live-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    path_ = tmpl;
  }
  ~TempDir() { remove_tree_at(AT_FDCWD, path_.c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A 64-bit register value whose low half is `v` and high half garbage: a syscall that takes
// an int must ignore the high half, and so must the driver.
inline long dirty32(std::int32_t v) {
  return static_cast<long>(0xdeadbeef00000000ull | static_cast<std::uint32_t>(v));
}

#define SKIP_UNLESS_ROOT()                            \
  do {                                                \
    if (!running_as_root()) {                         \
      MESSAGE("skipped: the live driver needs root"); \
      return;                                         \
    }                                                 \
  } while (0)

}  // namespace saker::syscall::testing
