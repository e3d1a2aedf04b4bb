// saker's entry point: parse the command line, run the application, map failures to a
// message and an exit code. Everything else lives in app.cpp.
#include <malloc.h>

#include <cstdlib>
#include <iostream>

#include "app.h"
#include "config/config.h"
#include "plugin_library.h"

int main(int argc, char** argv) {
  // One malloc arena: the event path does not allocate in steady state, and each extra
  // thread's arena (source loops, outputs) costs resident memory for nothing. The
  // environment's MALLOC_ARENA_MAX still wins.
  if (!std::getenv("MALLOC_ARENA_MAX")) mallopt(M_ARENA_MAX, 1);
  // No fastbins: their chunks are never coalesced until a large request, and a replay's
  // process churn (threads, descriptor entries, their names) left the heap resident at
  // 10 MB for 7 MB of live objects. Without them a 2 GB replay's peak RSS falls by 0.6 MB,
  // at no measurable CPU cost (paired runs: 0.98 trivial rule, 1.00 stable rules); tcache
  // still serves the small allocations. The environment's GLIBC_TUNABLES still wins.
  if (!std::getenv("GLIBC_TUNABLES")) mallopt(M_MXFAST, 0);
  try {
    auto opts = saker::app::parse_cli(std::vector<std::string>(argv + 1, argv + argc));
    saker::app::App app(std::move(opts));
    const int rc = app.run();
    app.prepare_exit();  // destroyed next, then the process ends
    return rc;
  } catch (const saker::app::CliError& e) {
    std::cerr << "saker: " << e.what() << "\n";
    return 2;
  } catch (const saker::core::ConfigError& e) {
    std::cerr << "saker: configuration error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "saker: error: " << e.what() << "\n";
    return 1;
  }
}
