// Runs the real saker binary for the hostile-input suite and measures it: wall time, peak
// RSS (getrusage of the child, ru_maxrss), exit status, what it printed; optionally sends a
// signal once its stderr shows a marker (e.g. a source being opened), timing the exit.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace saker::hostile {

struct RunResult {
  int exit_code = -1;                // -1 when killed by a signal
  int term_signal = 0;               // the signal that killed it, 0 if it exited
  double seconds = 0;                // wall time from start to exit
  double seconds_after_signal = -1;  // from the signal sent to the exit (-1: none sent)
  long peak_rss_kib = 0;             // ru_maxrss of the child
  std::string out, err;
  bool timed_out = false;                      // killed (SIGKILL) after the deadline
  int count(const std::string& needle) const;  // occurrences in stdout
};

struct RunOptions {
  std::vector<std::string> args;  // after the binary
  double deadline_s = 60;         // SIGKILL after this
  // When not empty: send `signal` once stderr contains `signal_after` (plus delay).
  std::string signal_after;
  double signal_delay_s = 0;
  int signal = 15;
};

// The saker binary and the plugins directory of this build.
std::string saker_binary();
RunResult run_saker(const RunOptions& opts);

// A directory removed with the object.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string path;
  std::string file(const std::string& name) const { return path + "/" + name; }
};

}  // namespace saker::hostile
