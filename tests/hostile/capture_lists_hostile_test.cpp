// Hostile capture list blocks against the real saker: many process lists (the table-entry
// bound, max_table_entries), an endless pipe of them and a pipe that stalls (the reader's
// stop check: SIGTERM must stop saker). Derived from ../shared/testdata/scap/cat_write.scap,
// read in place (its lists first, its events after the hostile part).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "capture_forge.h"
#include "capture_setup.h"
#include "saker_run.h"

using namespace saker::hostile;

namespace {

// A fifo in `dir` fed by a thread: `head`, then `next()` until it returns empty or the
// reader goes away, then held open (stalled) until the object is destroyed.
class FifoWriter {
 public:
  FifoWriter(const std::string& path, std::vector<std::uint8_t> head,
             std::function<std::vector<std::uint8_t>()> next = {})
      : path_(path) {
    REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
    ::signal(SIGPIPE, SIG_IGN);
    thread_ = std::thread([this, head = std::move(head), next = std::move(next)] {
      const int fd = ::open(path_.c_str(), O_WRONLY);
      if (fd < 0) return;
      bool ok = put(fd, head);
      while (ok && next && !done_) {
        const auto b = next();
        if (b.empty()) break;
        ok = put(fd, b);
      }
      while (ok && !done_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      ::close(fd);
    });
  }
  ~FifoWriter() {
    done_ = true;
    // Unblocks an open() still waiting for a reader (its writes then fail: no reader).
    const int fd = ::open(path_.c_str(), O_RDONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    thread_.join();
  }

 private:
  static bool put(int fd, const std::vector<std::uint8_t>& b) {
    std::size_t off = 0;
    while (off < b.size()) {
      const ssize_t k = ::write(fd, b.data() + off, b.size() - off);
      if (k <= 0) return false;
      off += static_cast<std::size_t>(k);
    }
    return true;
  }
  std::string path_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

TEST_CASE("3M threads in 12 process-list blocks: bounded time and memory, alerts kept") {
  Setup s;
  const auto cap = read_capture_bytes(kCatWrite);
  const std::string path = s.dir.file("lists.scap");
  constexpr std::size_t kBlocks = 12, kPerBlock = 250000;
  {
    std::ofstream out(path, std::ios::binary);
    auto put = [&](const std::vector<std::uint8_t>& b) {
      out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    };
    put(list_head(cap));
    auto block = thread_list_block(kPerBlock, 100000000);
    for (std::size_t k = 0; k < kBlocks; ++k) {
      put(block);
      shift_thread_block(block, kPerBlock);  // distinct threads in every block
    }
    put(list_events(cap));
  }
  const RunResult r = run_saker(s.replay(path));
  show("3M threads in 12 list blocks", r);
  CHECK(r.exit_code == 0);
  CHECK(r.count(kAlert) == 4);  // as cat_write.scap alone
  CHECK(r.seconds < 10);
  CHECK(r.peak_rss_kib < 300 * 1024);
  // One warning naming the limit, the block and its offset; the total at the end.
  CHECK_MESSAGE(has(r.err, "max_table_entries (262144)"), r.err);
  CHECK_MESSAGE(has(r.err, "process list block at offset"), r.err);
  CHECK_MESSAGE(has(r.err, "list blocks cut or skipped in all"), r.err);
}

TEST_CASE("an endless pipe of process-list blocks: flat memory, SIGTERM stops saker") {
  Setup s;
  const auto cap = read_capture_bytes(kCatWrite);
  auto block = thread_list_block(10000, 100000000);
  FifoWriter w(s.dir.file("endless.scap"), list_head(cap), [&] {
    shift_thread_block(block, 10000);
    return block;
  });
  RunOptions o = s.replay(s.dir.file("endless.scap"));
  o.signal_after = "opening event source 'syscall'";
  o.signal_delay_s = 1.5;  // well past the limit: blocks are being stepped over
  o.deadline_s = 20;
  const RunResult r = run_saker(o);
  show("endless list blocks + SIGTERM", r);
  CHECK(r.term_signal == 0);
  CHECK(r.exit_code == 0);
  CHECK(r.seconds_after_signal >= 0);
  CHECK(r.seconds_after_signal < 2.0);
  CHECK(r.peak_rss_kib < 300 * 1024);
  CHECK_MESSAGE(has(r.err, "stop requested while opening event source 'syscall'"), r.err);
  CHECK_MESSAGE(has(r.err, "interrupted"), r.err);
}

TEST_CASE("a pipe that stalls: SIGTERM stops saker while opening and between events") {
  Setup s;
  const auto cap = read_capture_bytes(kCatWrite);
  {  // The header and lists, then nothing: saker waits in open.
    FifoWriter w(s.dir.file("stall-open.scap"), list_head(cap));
    RunOptions o = s.replay(s.dir.file("stall-open.scap"));
    o.signal_after = "opening event source 'syscall'";
    o.signal_delay_s = 0.5;
    o.deadline_s = 20;
    const RunResult r = run_saker(o);
    show("stalled after the lists + SIGTERM", r);
    CHECK(r.term_signal == 0);
    CHECK(r.exit_code == 0);
    CHECK(r.seconds_after_signal >= 0);
    CHECK(r.seconds_after_signal < 2.0);
    CHECK_MESSAGE(has(r.err, "stop requested while opening event source 'syscall'"), r.err);
    CHECK_MESSAGE(has(r.err, "interrupted"), r.err);
  }
  {  // The whole capture, then nothing: saker waits between events; its alerts are kept.
    FifoWriter w(s.dir.file("stall-events.scap"), cap);
    RunOptions o = s.replay(s.dir.file("stall-events.scap"));
    o.signal_after = "opened event source";
    o.signal_delay_s = 1.0;
    o.deadline_s = 20;
    const RunResult r = run_saker(o);
    show("stalled after the events + SIGTERM", r);
    CHECK(r.term_signal == 0);
    CHECK(r.exit_code == 0);
    CHECK(r.seconds_after_signal >= 0);
    CHECK(r.seconds_after_signal < 2.0);
    CHECK(r.count(kAlert) == 4);
    CHECK_MESSAGE(has(r.err, "interrupted"), r.err);
  }
}
