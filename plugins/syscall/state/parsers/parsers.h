// The parser table: which function updates the state for which event type. Each syscall
// family registers its parsers by event name (every layout version of that syscall's exit
// event gets the same parser), in its own file:
//   process.cpp  clone/fork/vfork/clone3, execve/execveat, procexit, chdir/fchdir
//   ids.cpp      setuid/setgid/setresuid/setresgid, setsid, setpgid
//   files.cpp    open/openat/openat2/creat/open_by_handle_at, close, dup*, fcntl, pipe*,
//                eventfd*, signalfd*, inotify*, timerfd, epoll_create*, memfd, pidfd, ...
//   net.cpp      socket, socketpair, bind, listen, connect, accept*, send*/recv* tuples
#pragma once

#include <array>
#include <string_view>

#include "event_types.h"
#include "state.h"

namespace saker::syscall::parsers {

using ParserTable = std::array<ParserFn, scap::kEventTypeCount>;

// Set `fn` for every exit event called `name` (enter events too when `enter` is set, for
// events that only exist as enter events, such as procexit).
void on_event(ParserTable& t, std::string_view name, ParserFn fn, bool enter = false);

void register_process(ParserTable& t);
void register_ids(ParserTable& t);
void register_files(ParserTable& t);
void register_net(ParserTable& t);

inline void register_all(ParserTable& t) {
  register_process(t);
  register_ids(t);
  register_files(t);
  register_net(t);
}

}  // namespace saker::syscall::parsers
