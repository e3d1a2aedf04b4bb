// The event rings (bpf/helpers/ring.h): records of every size go round a 1 MiB ring several
// times, across chunk ends, complete and in order; a full ring counts its drops, keeps
// what it had and takes events again once read.
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "live_test_util.h"

using namespace saker::syscall;
using namespace saker::syscall::testing;

namespace {

// close(fd) of a descriptor that cannot exist: -EBADF, and `fd` tells the events apart.
void marked_close(std::int32_t mark) { syscall(SYS_close, -1000 - mark); }

// A failed openat whose path (read from user memory) is `len` bytes long and ends in `mark`.
std::string marked_path(std::uint32_t mark, std::size_t len) {
  std::string tail = "/" + std::to_string(mark);
  std::string p = "/nonexistent/saker-ring-";
  if (p.size() + tail.size() < len) p.append(len - p.size() - tail.size(), 'x');
  return p + tail;
}

// The smallest ring (1 MiB), one for every CPU: laps, chunk ends and drops come quickly.
LiveDriverOptions one_shared_ring() {
  LiveDriverOptions opts;
  opts.buffer_bytes = 1u << 20;
  opts.cpus_per_buffer = 0;
  return opts;
}

struct Seen {
  std::vector<std::int64_t> close_marks;
  std::vector<std::string> names;
};

// Reads every event the driver has, until a read finds none and `quiet_ms` passed since
// the last event.
void read_all(LiveDriver& d, Seen& seen, int quiet_ms = 300) {
  std::vector<RingRecord> recs;
  auto last = std::chrono::steady_clock::now();
  for (;;) {
    recs.clear();
    if (d.next(recs, 4096, 20) == 0) {
      if (std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(quiet_ms)) break;
      continue;
    }
    last = std::chrono::steady_clock::now();
    for (const auto& r : recs) {
      auto parts = split_payload({r.data, r.size});
      std::string why;
      auto v = scap::EventView::make(parts.event, &why);
      REQUIRE_MESSAGE(v.has_value(), "invalid event in the ring: " << why);
      if (v->type() == SAKER_EVT_CLOSE_X) {
        auto fd = pint(*v, "fd");
        REQUIRE(fd);
        if (*fd <= -1000) seen.close_marks.push_back(-1000 - *fd);
      } else if (v->type() == SAKER_EVT_OPENAT_2_X) {
        std::string n = pstr(*v, "name");
        if (n.rfind("/nonexistent/saker-ring-", 0) == 0) seen.names.push_back(n);
      }
    }
  }
}

}  // namespace

TEST_CASE("live ring: three laps of a 1 MiB ring, records of every size, complete and in order") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"close", "openat"}, one_shared_ring());
  h.drain();
  Seen seen;
  // ~3.3 MiB of records: closes (64 bytes in the ring) between opens whose path lengths
  // step through 1..3000 bytes, so chunk ends fall at every alignment
  const std::uint32_t rounds = 1200;
  std::vector<std::string> expected_names;
  std::uint32_t mark = 0;
  for (std::uint32_t i = 0; i < rounds; ++i) {
    for (int k = 0; k < 20; ++k) marked_close(static_cast<std::int32_t>(mark++));
    std::string p = marked_path(i, 30 + (i * 2503) % 2970);
    expected_names.push_back(p);
    CHECK(openat(AT_FDCWD, p.c_str(), O_RDONLY) == -1);
    if (i % 100 == 99) read_all(h.driver(), seen, 0);  // keep up: no drops wanted here
  }
  read_all(h.driver(), seen);
  CHECK(h.driver().counters().drops_total() == 0u);
  REQUIRE(seen.close_marks.size() == mark);
  for (std::uint32_t i = 0; i < mark; ++i) {
    if (seen.close_marks[i] != i) {
      FAIL("close event " << i << " carries mark " << seen.close_marks[i]);
      break;
    }
  }
  REQUIRE(seen.names.size() == expected_names.size());
  for (std::size_t i = 0; i < expected_names.size(); ++i) {
    if (seen.names[i] != expected_names[i]) {
      FAIL("open event " << i << " is named " << seen.names[i] << ", expected " << expected_names[i]);
      break;
    }
  }
}

TEST_CASE("live ring: a full ring counts drops, keeps what it had, and recovers once read") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"close"}, one_shared_ring());
  h.drain();
  const auto before = h.driver().counters();
  // 40,000 closes of 64 bytes each: 2.5 MiB into 1 MiB with nobody reading
  const std::int32_t n = 40000;
  for (std::int32_t i = 0; i < n; ++i) marked_close(i);
  const auto full = h.driver().counters();
  const std::uint64_t dropped = full.drops[SAKER_DROP_BUFFER_FILE] - before.drops[SAKER_DROP_BUFFER_FILE];
  CHECK(dropped > 20000u);
  Seen seen;
  read_all(h.driver(), seen);
  // what fitted arrived whole and in order: the first events, without a gap
  REQUIRE(seen.close_marks.size() > 10000u);
  CHECK(seen.close_marks.size() + dropped == static_cast<std::uint64_t>(n));
  for (std::size_t i = 0; i < seen.close_marks.size(); ++i) {
    if (seen.close_marks[i] != static_cast<std::int64_t>(i)) {
      FAIL("kept event " << i << " carries mark " << seen.close_marks[i]);
      break;
    }
  }
  // read: room again
  Seen after;
  for (std::int32_t i = 0; i < 100; ++i) marked_close(n + i);
  read_all(h.driver(), after);
  REQUIRE(after.close_marks.size() == 100u);
  CHECK(after.close_marks.front() == n);
  CHECK(after.close_marks.back() == n + 99);
}

TEST_CASE("live ring: two threads on two CPUs share one ring, read while they write") {
  SKIP_UNLESS_ROOT();
  LiveHarness h({"close"}, one_shared_ring());
  h.drain();
  // 2 x 60,000 closes: about 7 laps of the ring, read as they come, so the reader keeps
  // meeting records that are reserved but not yet written over the previous lap's bytes
  const std::int32_t per = 60000;
  std::atomic<int> running{2};
  auto work = [&running](std::int32_t base, int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu % static_cast<int>(std::max(1u, std::thread::hardware_concurrency())), &set);
    sched_setaffinity(0, sizeof(set), &set);
    for (std::int32_t i = 0; i < per; ++i) {
      marked_close(base + i);
      if (i % 64 == 63) std::this_thread::yield();  // let the reader keep up: no drops
    }
    --running;
  };
  std::thread a(work, 0, 0), b(work, 1000000, 1);
  Seen seen;
  while (running.load() > 0) read_all(h.driver(), seen, 0);
  a.join();
  b.join();
  read_all(h.driver(), seen);
  // closes only: the threads' own exits (procexit) may be dropped too when the ring is full
  const std::uint64_t dropped = h.driver().counters().drops[SAKER_DROP_BUFFER_FILE];
  CHECK(seen.close_marks.size() + dropped == 2u * per);
  // each thread's events in its own order, none repeated or invented
  std::int64_t next_a = 0, next_b = 1000000;
  std::size_t bad = 0;
  for (auto m : seen.close_marks) {
    if (m < 1000000) {
      if (m < next_a) ++bad;
      next_a = m + 1;
    } else {
      if (m < next_b || m >= 1000000 + per) ++bad;
      next_b = m + 1;
    }
  }
  CHECK(bad == 0u);
  // drops depend on how often this loaded machine lets the reader run; most arrive
  CHECK(seen.close_marks.size() >= static_cast<std::size_t>(per) / 2);
}

TEST_CASE("live ring: one ring per CPU: a full ring does not stop the other CPU's events") {
  SKIP_UNLESS_ROOT();
  if (std::thread::hardware_concurrency() < 2) {
    MESSAGE("skipped: one CPU");
    return;
  }
  LiveDriverOptions opts;
  opts.buffer_bytes = 1u << 20;
  opts.cpus_per_buffer = 1;
  LiveHarness h({"close"}, opts);
  h.drain();
  REQUIRE(h.driver().num_buffers() == h.driver().num_cpus());
  auto pin = [](int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    REQUIRE(sched_setaffinity(0, sizeof(set), &set) == 0);
  };
  // CPU 0 fills its own ring (nobody reads): 40,000 closes of 64 bytes into 1 MiB
  std::thread([&] {
    pin(0);
    for (std::int32_t i = 0; i < 40000; ++i) marked_close(i);
  }).join();
  const std::uint64_t full = h.driver().counters().drops[SAKER_DROP_BUFFER_FILE];
  CHECK(full > 20000u);
  // CPU 1 writes to its own ring, which has room: nothing of it is lost
  std::thread([&] {
    pin(1);
    for (std::int32_t i = 0; i < 100; ++i) marked_close(500000 + i);
  }).join();
  CHECK(h.driver().counters().drops[SAKER_DROP_BUFFER_FILE] == full);
  Seen seen;
  read_all(h.driver(), seen);
  std::size_t from_cpu1 = 0;
  for (auto m : seen.close_marks) from_cpu1 += m >= 500000 ? 1 : 0;
  CHECK(from_cpu1 == 100u);
}
