// State metrics (see metrics.h).
#include "metrics.h"

namespace saker::syscall {
namespace {

struct CounterDef {
  const char* name;
  const char* help;
  std::uint64_t StateCounters::*member;
};

constexpr CounterDef kDefs[] = {
    {"threads_added", "Threads added to the thread table", &StateCounters::threads_added},
    {"threads_removed", "Threads removed after exiting", &StateCounters::threads_removed},
    {"threads_evicted", "Threads evicted because the table was full",
     &StateCounters::threads_evicted},
    {"thread_misses", "Events of threads the table did not know", &StateCounters::thread_misses},
    {"fds_added", "Descriptors added to fd tables", &StateCounters::fds_added},
    {"fds_removed", "Descriptors removed from fd tables", &StateCounters::fds_removed},
    {"fds_dropped", "Descriptors not stored because a table was full", &StateCounters::fds_dropped},
    {"fd_misses", "Events on descriptors the table did not know", &StateCounters::fd_misses},
    {"users_dropped", "Users or groups not stored because the table was full",
     &StateCounters::users_dropped},
    {"bad_events", "Events rejected as malformed", &StateCounters::bad_events},
};
static_assert(std::size(kDefs) == 10);

}  // namespace

StateMetrics::StateMetrics(const sdk::Host& host) : host_(host) {
  for (std::size_t i = 0; i < kCounters; ++i) {
    counter_ids_[i] = host_.register_counter(kDefs[i].name, kDefs[i].help);
  }
  threads_gauge_ = host_.register_gauge("threads", "Threads in the thread table");
  users_gauge_ = host_.register_gauge("users", "Users in the user table");
}

void StateMetrics::publish(const State& state) {
  const StateCounters& c = state.counters();
  for (std::size_t i = 0; i < kCounters; ++i) {
    std::uint64_t v = c.*(kDefs[i].member);
    if (v > published_[i]) host_.metric_add(counter_ids_[i], v - published_[i]);
    published_[i] = v;
  }
  host_.metric_set(threads_gauge_, state.threads().size());
  host_.metric_set(users_gauge_, state.users().num_users());
}

}  // namespace saker::syscall
