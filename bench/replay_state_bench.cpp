// replay_state_bench: the syscall plugin's own share of `saker -e`, without the core: the
// replay engine streams a capture (plain or gzip) in batches and the state engine parses
// every event, as the plugin's source and parse capabilities do. Prints CPU ns per event
// for the whole run, the state's table counters at the end (threads and fds added and
// removed, misses) and the peak RSS: on a generated busy-host capture (capture_gen) this
// isolates reader + state costs and shows whether the tables stay bounded.
// Usage: replay_state_bench CAPTURE [repeats=3]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "engine/replay_engine.h"
#include "state/state.h"

namespace {

double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace saker::syscall;
  if (argc < 2) {
    std::fprintf(stderr, "usage: replay_state_bench CAPTURE [repeats=3]\n");
    return 2;
  }
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  std::vector<double> ns;
  for (int r = 0; r < repeats; ++r) {
    const double t0 = cpu_seconds();
    ReplayEngine eng(argv[1]);
    State st(StateLimits{});
    st.seed(eng.capture());
    saker::sdk::EventWriter out;
    std::uint64_t events = 0;
    while (true) {
      out.reset();
      const auto status = eng.next_batch(out, 0);
      const saker_event* const* evs = out.finish();
      for (std::size_t i = 0; i < out.count(); ++i) {
        st.parse({evs[i]->data, static_cast<std::size_t>(evs[i]->data_len)});
      }
      events += out.count();
      if (status == saker::sdk::BatchStatus::kEof) break;
    }
    const double t = cpu_seconds() - t0;
    ns.push_back(t * 1e9 / static_cast<double>(std::max<std::uint64_t>(events, 1)));
    const StateCounters& c = st.counters();
    std::printf(
        "run %d: %llu events, %.1f ns/event CPU; threads now %zu (added %llu, removed %llu, "
        "misses %llu); fds added %llu removed %llu dropped %llu misses %llu\n",
        r, static_cast<unsigned long long>(events), ns.back(), st.threads().size(),
        static_cast<unsigned long long>(c.threads_added),
        static_cast<unsigned long long>(c.threads_removed),
        static_cast<unsigned long long>(c.thread_misses),
        static_cast<unsigned long long>(c.fds_added), static_cast<unsigned long long>(c.fds_removed),
        static_cast<unsigned long long>(c.fds_dropped),
        static_cast<unsigned long long>(c.fd_misses));
  }
  std::sort(ns.begin(), ns.end());
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  std::printf("median %.1f ns/event CPU (reader + state parse); peak RSS %.1f MB\n",
              ns[ns.size() / 2], static_cast<double>(ru.ru_maxrss) / 1024.0);
  return 0;
}
