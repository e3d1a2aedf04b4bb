// Parsers of events that create, duplicate or destroy descriptors other than sockets:
// open/openat/openat2/creat/open_by_handle_at, close, dup/dup2/dup3, fcntl(F_DUPFD*),
// pipe/pipe2, eventfd*, signalfd*, inotify_init*, timerfd_create, epoll_create*,
// memfd_create, userfaultfd, io_uring_setup, pidfd_open/pidfd_getfd, bpf.
#include <algorithm>
#include <vector>

#include "../paths.h"
#include "parsers.h"

namespace saker::syscall::parsers {
namespace {

// The parameters these parsers read, their indexes per event type found once.
const ParamKey kArg_cmd{"cmd"};
const ParamKey kArg_fd{"fd"};
const ParamKey kArg_fd1{"fd1"};
const ParamKey kArg_fd2{"fd2"};
const ParamKey kArg_flags{"flags"};
const ParamKey kArg_ino{"ino"};
const ParamKey kArg_name{"name"};
const ParamKey kArg_oldfd{"oldfd"};


constexpr std::uint32_t kODirectory = 1u << 10;  // PPM_O_DIRECTORY
constexpr std::uint32_t kOCloexec = 1u << 12;    // PPM_O_CLOEXEC
constexpr std::uint64_t kFcntlDupfd = 1, kFcntlDupfdCloexec = 26;

// Store `info` as the event's descriptor (in the table when the syscall succeeded).
void publish_fd(EventContext& ctx, FdInfo info, bool store) {
  ctx.fd_num = info.fd;
  ctx.has_fd = true;
  if (store && ctx.thread) {
    if (FdInfo* f = ctx.thread->fds->slot(info.fd, info.open_flags)) {
      *f = std::move(info);
      ctx.fd = f;
      return;
    }
  }
  ctx.fd_scratch = std::move(info);
  ctx.fd = &ctx.fd_scratch;
}

// The entry the event's new descriptor `fd` is built in: its slot in the table when the
// syscall succeeded (filled in place: no copy, no allocation), else the context's scratch;
// with its open_flags set (the table keeps their O_CLOEXEC bit).
FdInfo& new_fd(EventContext& ctx, std::int64_t fd, bool store, std::uint32_t open_flags) {
  ctx.fd_num = fd;
  ctx.has_fd = true;
  FdInfo* f = store && ctx.thread ? ctx.thread->fds->slot(fd, open_flags) : nullptr;
  if (!f) {
    f = &ctx.fd_scratch;
    std::string keep = std::move(f->name);
    std::string keep_raw = std::move(f->name_raw);
    keep.clear();
    keep_raw.clear();
    *f = FdInfo{};
    f->name = std::move(keep);
    f->name_raw = std::move(keep_raw);
    f->fd = fd;
    f->open_flags = open_flags;
  }
  ctx.fd = f;
  return *f;
}

// The parameters an open reads, by name; their indexes per event type are found once
// (an open is among the most frequent events and reads six of them: looking each up by
// name was most of its parse).
enum OpenParam : std::size_t { kName, kPath, kDirfd, kFlags, kDev, kIno, kOpenParamCount };
constexpr std::array<const char*, kOpenParamCount> kOpenParamNames = {"name", "path", "dirfd",
                                                                       "flags", "dev", "ino"};
using OpenParamIndexes = std::array<std::int8_t, kOpenParamCount>;  // -1: the type has none

std::vector<OpenParamIndexes> build_open_params() {
  std::vector<OpenParamIndexes> t(std::size_t{scap::kEventTypeCount} + 1);
  for (std::size_t type = 0; type <= scap::kEventTypeCount; ++type) {
    t[type].fill(-1);
    if (type == scap::kEventTypeCount) break;
    for (std::size_t k = 0; k < kOpenParamCount; ++k) {
      auto i = scap::find_param(static_cast<std::uint16_t>(type), kOpenParamNames[k]);
      if (i && *i < 128) t[type][k] = static_cast<std::int8_t>(*i);
    }
  }
  return t;
}
// Built when the library loads (no initialisation guard to test on every read).
const std::vector<OpenParamIndexes> kOpenParams = build_open_params();

const OpenParamIndexes& open_params(std::uint16_t type) {
  return kOpenParams[std::min<std::size_t>(type, scap::kEventTypeCount)];
}

// ctx.arg(kOpenParamNames[k]): the exit event's parameter by its precomputed index, else
// (absent from this layout, or an older capture's exit event) the enter event's, by the
// index precomputed for its type.
ArgRef open_arg(const EventContext& ctx, OpenParam k) {
  const std::int8_t i = open_params(ctx.evt.type())[k];
  if (i >= 0 && ctx.evt.has_param(static_cast<std::uint32_t>(i))) {
    return {&ctx.evt, static_cast<std::uint32_t>(i)};
  }
  if (!ctx.enter) return {};
  const std::int8_t j = open_params(ctx.enter->type())[k];
  if (j >= 0 && ctx.enter->has_param(static_cast<std::uint32_t>(j))) {
    return {&*ctx.enter, static_cast<std::uint32_t>(j)};
  }
  return {};
}
std::optional<std::int64_t> open_int(const EventContext& ctx, OpenParam k) {
  ArgRef a = open_arg(ctx, k);
  return a ? a.view->param_int(a.index) : std::nullopt;
}
// The unsigned value of parameter k, 0 when absent. A plain value: an optional returned by
// this (not inlined) function was built with a one-byte store of its flag and read back by
// an eight-byte load, a store-forwarding stall three times per open.
std::uint64_t open_uint(const EventContext& ctx, OpenParam k) {
  ArgRef a = open_arg(ctx, k);
  return a ? a.view->param_uint(a.index).value_or(0) : 0;
}

// The resolved path of an open, into out; the argument as given (raw) into raw.
void open_path(State& st, const EventContext& ctx, std::string& out, std::string_view& raw) {
  std::string_view name;
  raw = {};
  for (const OpenParam k : {kName, kPath}) {
    ArgRef a = open_arg(ctx, k);
    auto v = a ? a.view->param_str(a.index) : std::nullopt;
    if (!v || v->empty()) continue;
    name = *v;
    // saker's driver: the kernel's path, then the argument
    raw = raw_after_path(a.view->param(a.index));
    if (raw.empty()) raw = name;
    break;
  }
  if (name.empty()) {
    out.clear();
    return;
  }
  // An absolute path needs no base: the dirfd's entry and the process's cwd (other threads'
  // memory) are only looked up for a relative one.
  std::string_view base;
  if (name[0] != '/') {
    auto dirfd = open_int(ctx, kDirfd);
    base = dirfd ? st.dirfd_path(ctx, *dirfd) : st.cwd_of(ctx.thread);
  }
  resolve_path_into(base, name, out);
}

// Falco shows the path of an open even when it failed (fd.num is then the error).
void parse_open(State& st, EventContext& ctx) {
  auto res = ctx.res();
  if (!res) return;
  if (*res >= 0 && ctx.thread) ctx.thread->fds->prefetch(*res);
  // The path first (it may name the dirfd's entry, which the new slot could replace).
  std::string& path = st.path_scratch();
  std::string_view raw;
  open_path(st, ctx, path, raw);
  const auto flags = static_cast<std::uint32_t>(open_uint(ctx, kFlags));
  const auto dev = static_cast<std::uint32_t>(open_uint(ctx, kDev));
  const std::uint64_t ino = open_uint(ctx, kIno);
  // A failed open describes the path it was asked to open, with no descriptor (fd.num
  // -1) and no kind, as libsinsp does.
  FdInfo& f = new_fd(ctx, *res >= 0 ? *res : -1, *res >= 0, flags);
  f.name.assign(path);
  if (raw == path) {
    f.name_raw.clear();
  } else {
    f.name_raw.assign(raw);
  }
  f.type = *res < 0 ? FdType::kUnknown : (flags & kODirectory) ? FdType::kDirectory : FdType::kFile;
  f.dev = dev;
  f.ino = ino;
}

void parse_close(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0 || !ctx.has_fd || !ctx.thread) return;
  // The event still describes the descriptor it closed: its entry when the table keeps it
  // (no copy), else a copy.
  if (ctx.fd && !ctx.thread->fds->keeps_closed(ctx.fd_num)) {
    ctx.fd_scratch = *ctx.fd;
    ctx.fd = &ctx.fd_scratch;
  }
  ctx.thread->fds->remove(ctx.fd_num);
}

void duplicate(EventContext& ctx, std::int64_t oldfd, std::int64_t newfd, bool cloexec) {
  if (!ctx.thread || newfd < 0) return;
  FdTable& fds = *ctx.thread->fds;
  const FdInfo* old = fds.find(oldfd);
  if (!old) return;
  const std::uint32_t flags = cloexec ? (old->open_flags | kOCloexec) : (old->open_flags & ~kOCloexec);
  // Copied into newfd's entry in place, its strings keeping their buffers (no allocation in
  // the steady state). `old` stays valid: entries never move, and newfd's is another one.
  FdInfo* n = newfd == oldfd ? nullptr : fds.slot(newfd, flags);
  if (n) {
    *n = *old;
    n->fd = newfd;
    n->open_flags = flags;
  }
  ctx.fd = fds.find(oldfd);
}

void parse_dup(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res || *res < 0) return;
  auto oldfd = ctx.arg_int(kArg_oldfd);
  if (!oldfd) oldfd = ctx.arg_int(kArg_fd);
  if (!oldfd) return;
  const bool cloexec = ctx.arg_uint(kArg_flags).value_or(0) & kOCloexec;
  if (*oldfd != *res) duplicate(ctx, *oldfd, *res, cloexec);
}

void parse_fcntl(State&, EventContext& ctx) {
  auto res = ctx.res();
  auto cmd = ctx.arg_uint(kArg_cmd);
  auto fd = ctx.arg_int(kArg_fd);
  if (!res || *res < 0 || !cmd || !fd) return;
  if (*cmd == kFcntlDupfd || *cmd == kFcntlDupfdCloexec) {
    duplicate(ctx, *fd, *res, *cmd == kFcntlDupfdCloexec);
  }
}

void add_simple(EventContext& ctx, std::int64_t fd, FdType type, std::string name,
                std::uint32_t flags = 0, std::uint64_t ino = 0) {
  FdInfo f;
  f.fd = fd;
  f.type = type;
  f.name = std::move(name);
  f.open_flags = flags;
  f.ino = ino;
  publish_fd(ctx, std::move(f), fd >= 0);
}

void parse_pipe(State&, EventContext& ctx) {
  auto res = ctx.res();
  auto fd1 = ctx.arg_int(kArg_fd1), fd2 = ctx.arg_int(kArg_fd2);
  if (!res || *res < 0 || !fd1 || !fd2 || !ctx.thread) return;
  // Unnamed, with the pipe's inode, as libsinsp keeps a pipe() (a pipe from the capture's
  // tables keeps the name /proc gave it, "pipe:[ino]").
  const std::uint64_t ino = ctx.arg_uint(kArg_ino).value_or(0);
  auto flags = static_cast<std::uint32_t>(ctx.arg_uint(kArg_flags).value_or(0));
  // The event's descriptor is the last one added: fd2, as libsinsp reports it.
  add_simple(ctx, *fd1, FdType::kFifo, "", flags, ino);
  add_simple(ctx, *fd2, FdType::kFifo, "", flags, ino);
}

template <FdType kType>
void parse_creator(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res) return;
  add_simple(ctx, *res, kType, "");
}

void parse_memfd(State&, EventContext& ctx) {
  auto res = ctx.res();
  if (!res) return;
  std::string name = "memfd:" + std::string(ctx.arg_str(kArg_name).value_or(""));
  add_simple(ctx, *res, FdType::kMemfd, std::move(name));
}

}  // namespace

void register_files(ParserTable& t) {
  for (auto n : {"open", "openat", "openat2", "creat", "open_by_handle_at"}) {
    on_event(t, n, &parse_open);
  }
  on_event(t, "close", &parse_close);
  for (auto n : {"dup", "dup2", "dup3"}) on_event(t, n, &parse_dup);
  on_event(t, "fcntl", &parse_fcntl);
  for (auto n : {"pipe", "pipe2"}) on_event(t, n, &parse_pipe);
  for (auto n : {"eventfd", "eventfd2"}) on_event(t, n, &parse_creator<FdType::kEvent>);
  for (auto n : {"signalfd", "signalfd4"}) on_event(t, n, &parse_creator<FdType::kSignalfd>);
  for (auto n : {"inotify_init", "inotify_init1"}) {
    on_event(t, n, &parse_creator<FdType::kInotify>);
  }
  on_event(t, "timerfd_create", &parse_creator<FdType::kTimerfd>);
  for (auto n : {"epoll_create", "epoll_create1"}) {
    on_event(t, n, &parse_creator<FdType::kEventpoll>);
  }
  on_event(t, "userfaultfd", &parse_creator<FdType::kUserfaultfd>);
  on_event(t, "io_uring_setup", &parse_creator<FdType::kIoUring>);
  on_event(t, "pidfd_open", &parse_creator<FdType::kPidfd>);
  on_event(t, "memfd_create", &parse_memfd);
}

}  // namespace saker::syscall::parsers
