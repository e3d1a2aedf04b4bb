// The state engine's event loop step and seeding (see state.h).
#include "state.h"

#include <algorithm>
#include <array>
#include <type_traits>
#include <vector>

#include "engine/event_payload.h"
#include "event_table.h"
#include "interrupt.h"
#include "parsers/parsers.h"
#include "paths.h"

namespace saker::syscall {

// What prepare() needs to know of an event type, looked up once per type (the table is
// built on first use and shared: it depends on the event table only) so that the event
// path reads one entry instead of asking the event table by name.
struct EventTypeTraits {
  // Parameter 0 of an exit event is the syscall's result: an errno, fd or pid first
  // parameter is; so is an integer one named "res" (brk's new break, mmap's address),
  // which libsinsp shows as SUCCESS and its raw value.
  bool result_first = false;
  // The event acts on a descriptor: one named by kFdParamNames, at these indexes (-1:
  // the type has none).
  bool uses_fd = false;
  std::array<std::int8_t, 3> fd_index{-1, -1, -1};
  // An enter event that has an exit counterpart (remembered for it).
  bool paired_enter = false;
  // Like libsinsp, scheduler and procinfo events do not make a thread known: they only
  // describe threads the state already has.
  bool creates_thread = true;
};

namespace {

constexpr std::int64_t kAtFdcwd = -100;

// A string of a capture entry: copied from a const entry, taken from a non-const one.
template <typename S>
std::string take(S& s) {
  if constexpr (std::is_const_v<S>) {
    return s;
  } else {
    return std::move(s);
  }
}

// The list of `bytes`: `prev` itself when it was made from the same bytes (the threads of a
// process, listed one after the other, share their arguments and environment).
StringList list_of(const std::string& bytes, const StringList& prev) {
  return prev.same_bytes(bytes) ? prev : StringList::from_nul_list(bytes);
}

// P: scap::ProcessEntry, const or not (see take()). prev: the thread seeded before, or null.
template <typename P>
std::unique_ptr<ThreadInfo> thread_from_capture(P& p, const ThreadInfo* prev) {
  auto t = std::make_unique<ThreadInfo>();
  t->tid = static_cast<std::int64_t>(p.tid);
  t->pid = static_cast<std::int64_t>(p.pid);
  t->ptid = static_cast<std::int64_t>(p.ptid);
  t->sid = p.sid;
  t->vpgid = p.vpgid;
  t->vtid = p.vtid;
  t->vpid = p.vpid;
  t->comm = take(p.comm);
  t->exe = take(p.exe);
  t->exepath = take(p.exepath);
  if (prev) {
    t->args = list_of(p.args, prev->args);
    t->env = list_of(p.env, prev->env);
  } else {
    t->args = StringList::from_nul_list(p.args);
    t->env = StringList::from_nul_list(p.env);
  }
  if (prev && prev->comm == t->comm && prev->args == t->args) {
    t->cmdline = prev->cmdline;
  } else {
    t->update_cmdline();
  }
  // libsinsp keeps a directory's trailing '/' (proc.cwd "/root/"), as chdir does here.
  t->cwd = take(p.cwd);
  if (!t->cwd.empty() && t->cwd.back() != '/') t->cwd += '/';
  t->uid = p.uid;
  t->gid = p.gid;
  t->loginuid = p.loginuid;
  t->tty = p.tty;
  t->fdlimit = p.fdlimit;
  t->cap_inheritable = p.cap_inheritable;
  t->cap_permitted = p.cap_permitted;
  t->cap_effective = p.cap_effective;
  t->exe_writable = p.exe_writable;
  t->exe_upper_layer = p.exe_upper_layer;
  t->exe_from_memfd = p.exe_from_memfd;
  t->exe_ino = p.exe_ino;
  t->exe_ino_ctime = p.exe_ino_ctime;
  t->exe_ino_mtime = p.exe_ino_mtime;
  t->pidns_init_start_ts = p.pidns_init_start_ts;
  t->cgroups = take(p.cgroups);
  t->vmsize_kb = p.vmsize_kb;
  t->vmrss_kb = p.vmrss_kb;
  t->vmswap_kb = p.vmswap_kb;
  return t;
}

template <typename E>  // scap::FdEntry, const or not (see take())
FdInfo fd_from_capture(E& e) {
  FdInfo f;
  f.fd = e.fd;
  f.type = e.type == FdType::kFileV2 ? FdType::kFile : e.type;
  f.name = take(e.name);
  f.open_flags = e.open_flags;
  f.dev = e.dev;
  f.ino = e.ino;
  f.l4proto = e.l4proto;
  f.unix_src = e.unix_src;
  f.unix_dst = e.unix_dst;
  if (e.type == FdType::kIpv4ServSock || e.type == FdType::kIpv6ServSock) {
    f.sip = e.sip;
    f.sport = e.sport;
    f.role = FdRole::kServer;
    f.name = ip_text(f.sip, e.type == FdType::kIpv6ServSock) + ":" + std::to_string(f.sport);
  } else if (f.is_inet()) {
    f.cip = e.sip;
    f.cport = e.sport;
    f.sip = e.dip;
    f.sport = e.dport;
    f.connected = true;
    update_socket_name(f);
  }
  return f;
}

}  // namespace

namespace {
const EventTypeTraits* type_traits();
}  // namespace

inline const EventTypeTraits& State::traits(std::uint16_t type) const {
  return traits_[type < scap::kEventTypeCount ? std::size_t{type}
                                              : std::size_t{scap::kEventTypeCount}];
}

State::State(const StateLimits& limits)
    : limits_(limits),
      threads_(limits.max_threads, limits.max_fds_per_process, &counters_),
      users_(limits.max_users, &counters_),
      traits_(type_traits()) {
  parsers::register_all(parsers_);
}

bool State::seed(const scap::CaptureReader& capture) {
  const auto& m = capture.machine_info();
  return seed_lists(m ? &*m : nullptr, capture.users(), capture.groups(),
                    std::span<const scap::ProcessEntry>(capture.processes()));
}

bool State::seed(const scap::CaptureTables& tables) {
  return seed_lists(&tables.machine, tables.users, tables.groups,
                    std::span<const scap::ProcessEntry>(tables.processes));
}

bool State::seed(scap::CaptureReader& capture) {
  const auto& m = capture.machine_info();
  return seed_lists(m ? &*m : nullptr, capture.users(), capture.groups(),
                    std::span<scap::ProcessEntry>(capture.processes()));
}

template <typename ProcessList>
bool State::seed_lists(const scap::MachineInfo* machine, std::span<const scap::UserEntry> users,
                       std::span<const scap::GroupEntry> groups, ProcessList processes) {
  if (machine) boot_ts_ = machine->boot_ts_epoch;
  for (const auto& u : users) users_.add_user(u);
  for (const auto& g : groups) users_.add_group(g);
  std::size_t work = 0, next_check = kInterruptEvery;  // threads and descriptors seeded
  const ThreadInfo* prev = nullptr;
  for (auto& p : processes) {
    if (work >= next_check) {
      if (interrupt_requested()) return false;
      next_check = work + kInterruptEvery;
    }
    ThreadInfo* t = seed_thread(p, prev);
    prev = t;
    seed_fds(t, p.fds);
    work += 1 + p.fds.size();
  }
  return true;
}

template <typename P>
ThreadInfo* State::seed_thread(P& p, const ThreadInfo* prev) {
  // prev is read before add() (which may evict it from a full table).
  ThreadInfo* t = threads_.add(thread_from_capture(p, prev));
  // Threads of one process share its descriptors: the capture lists them on the main
  // thread, and the main thread usually comes first.
  if (!t->is_main_thread()) {
    if (ThreadInfo* m = threads_.find(t->pid)) t->fds = m->fds;
  }
  return t;
}

template <typename Fds>
void State::seed_fds(ThreadInfo* t, Fds& fds) {
  for (auto& e : fds) t->fds->add(fd_from_capture(e));
}

void State::seed_tables(const scap::CaptureReader& capture) {
  const auto& m = capture.machine_info();
  seed_lists(m ? &*m : nullptr, capture.users(), capture.groups(),
             std::span<const scap::ProcessEntry>());
}

void State::Seeder::thread(scap::ProcessEntry& p) { prev_ = s_.seed_thread(p, prev_); }

bool State::Seeder::has_thread(std::uint64_t tid) const {
  return s_.threads_.find(static_cast<std::int64_t>(tid)) != nullptr;
}

void State::Seeder::fds(std::uint64_t tid, std::vector<scap::FdEntry>& fds) {
  if (ThreadInfo* t = s_.threads_.find(static_cast<std::int64_t>(tid))) s_.seed_fds(t, fds);
}

bool State::parse(std::span<const std::uint8_t> payload) {
  if (!exited_.empty()) flush_exited();
  if (!prepare(payload, true)) return false;
  if (ParserFn fn = parsers_[ctx_.evt.type()]) fn(*this, ctx_);
  return true;
}

const EventContext* State::context_for(std::span<const std::uint8_t> payload) {
  if (ctx_.data == payload.data() && ctx_.data_len == payload.size()) return &ctx_;
  return prepare(payload, false) ? &ctx_ : nullptr;
}

bool State::prepare(std::span<const std::uint8_t> payload, bool mutate) {
  PayloadParts parts = split_payload(payload);
  // The views are validated in place: ctx_ describes no payload until they are.
  ctx_.data = nullptr;
  ctx_.data_len = 0;
  if (!ctx_.evt.assign(parts.event)) {
    if (mutate) counters_.bad_events++;  // counted once, when parsed (not again per extraction)
    return false;
  }
  const scap::EventView* v = &ctx_.evt;
  ctx_.data = payload.data();
  ctx_.data_len = payload.size();
  // Emplaced, not assigned: a copy of the optional went through the stack with narrow stores
  // and a wide load (a store-forwarding stall per event).
  if (parts.cpu) {
    ctx_.cpu.emplace(*parts.cpu);
  } else {
    ctx_.cpu.reset();
  }
  ctx_.fd = nullptr;
  ctx_.has_fd = false;
  ctx_.fd_num = -1;
  ctx_.open_flags_memo = -1;
  if (parts.enter.empty()) {
    ctx_.enter.reset();
  } else {
    if (!ctx_.enter) ctx_.enter.emplace();
    if (!ctx_.enter->assign(parts.enter)) ctx_.enter.reset();
  }
  const std::uint16_t type = v->type();
  const EventTypeTraits& tt = traits(type);
  ctx_.result_first = tt.result_first;
  if (mutate && tt.paired_enter) remember_enter(*v);
  if (!ctx_.enter && scap::is_exit(type) && !last_enter_.empty()) {
    auto it = last_enter_.find(static_cast<std::int64_t>(v->tid()));
    if (it != last_enter_.end()) {
      ctx_.enter.emplace();
      if (!ctx_.enter->assign(it->second) || ctx_.enter->type() != scap::paired_event(type)) {
        ctx_.enter.reset();
      }
    }
  }
  const auto tid = static_cast<std::int64_t>(v->tid());
  ThreadInfo* t = threads_.find(tid);
  if (mutate) {
    if (!t && tt.creates_thread) t = ensure_thread(tid, v->ts());
    if (t) t->last_ts = v->ts();
  }
  ctx_.thread = t;
  if (tt.uses_fd) resolve_fd(ctx_, tt);
  return true;
}

bool State::apply_list_event(std::span<const std::uint8_t> event) {
  scap::EventView v;
  if (!v.assign(event)) {
    counters_.bad_events++;
    return false;
  }
  const std::uint16_t t = v.type();
  const bool user = t == scap::kUserAddedE || t == scap::kUserDeletedE;
  const bool group = t == scap::kGroupAddedE || t == scap::kGroupDeletedE;
  if (!user && !group) return false;
  auto str = [&](const char* name) {
    auto i = scap::find_param(t, name);
    return std::string(i && v.has_param(*i) ? v.param_str(*i).value_or("") : "");
  };
  auto num = [&](const char* name) {
    auto i = scap::find_param(t, name);
    return static_cast<std::uint32_t>(i && v.has_param(*i) ? v.param_uint(*i).value_or(0) : 0);
  };
  if (!str("container_id").empty()) return true;
  if (t == scap::kUserAddedE) {
    users_.add_user({num("uid"), num("gid"), str("name"), str("home"), str("shell")});
  } else if (t == scap::kUserDeletedE) {
    users_.remove_user(num("uid"));
  } else if (t == scap::kGroupAddedE) {
    users_.add_group({num("gid"), str("name")});
  } else {
    users_.remove_group(num("gid"));
  }
  return true;
}

void State::remember_enter(const scap::EventView& v) {
  auto raw = v.raw();
  last_enter_[static_cast<std::int64_t>(v.tid())].assign(raw.begin(), raw.end());
}

namespace {

// The parameters naming the descriptor an event acts on, in the order they are tried.
constexpr std::array<const char*, 3> kFdParamNames = {"fd", "out_fd", "fd_in"};

}  // namespace


namespace {

EventTypeTraits traits_of(std::uint16_t code) {
  EventTypeTraits t;
  const scap::EventInfo& info = scap::event_info(code);
  if (scap::is_exit(code) && info.nparams > 0) {
    const auto pt = info.params[0].type;
    const bool named_res = info.params[0].name && std::string_view(info.params[0].name) == "res" &&
                           (pt == scap::ParamType::kUint64 || pt == scap::ParamType::kInt64);
    t.result_first = pt == scap::ParamType::kErrno || pt == scap::ParamType::kFd ||
                     pt == scap::ParamType::kPid || named_res;
  }
  const std::uint16_t flags = info.flags;
  t.uses_fd = (flags & (scap::kEfUsesFd | scap::kEfDestroysFd | scap::kEfReadsFromFd |
                        scap::kEfWritesToFd)) != 0;
  // An event that names a descriptor it does not create (mmap's fd, now an appended
  // enter parameter) acts on it too: libsinsp resolves it.
  if (!(flags & scap::kEfCreatesFd)) {
    for (const std::uint16_t c : {code, scap::paired_event(code)}) {
      if (c >= scap::kEventTypeCount) continue;
      auto i = scap::find_param(c, "fd");
      if (i && scap::event_info(c).params[*i].type == scap::ParamType::kFd) t.uses_fd = true;
    }
  }
  for (std::size_t k = 0; k < kFdParamNames.size(); ++k) {
    auto i = scap::find_param(code, kFdParamNames[k]);
    t.fd_index[k] = i ? static_cast<std::int8_t>(*i) : std::int8_t{-1};
  }
  t.paired_enter = scap::is_enter(code) && scap::is_known_event(code | 1u);
  t.creates_thread =
      code != scap::kProcinfoE && code != scap::kSchedswitchV1E && code != scap::kSchedswitchV6E;
  return t;
}

// Indexed by type; the last entry stands for every type beyond the table (event_info's
// unknown event: no parameters known).
const EventTypeTraits* type_traits() {
  static const auto table = [] {
    std::vector<EventTypeTraits> t(std::size_t{scap::kEventTypeCount} + 1);
    for (std::size_t type = 0; type < scap::kEventTypeCount; ++type) {
      t[type] = traits_of(static_cast<std::uint16_t>(type));
    }
    t[scap::kEventTypeCount].uses_fd = false;
    return t;
  }();
  return table.data();
}

}  // namespace

void State::resolve_fd(EventContext& ctx, const EventTypeTraits& tt) {
  // ctx.arg_int("fd"), then "out_fd", then "fd_in", with the indexes looked up once.
  std::optional<std::int64_t> fd;
  for (std::size_t k = 0; k < kFdParamNames.size() && !fd; ++k) {
    const std::int8_t i = tt.fd_index[k];
    if (i >= 0 && ctx.evt.has_param(i)) {
      fd = ctx.evt.param_int(i);
    } else if (ctx.enter) {
      const std::int8_t j = traits(ctx.enter->type()).fd_index[k];
      if (j >= 0 && ctx.enter->has_param(j)) fd = ctx.enter->param_int(j);
    }
  }
  if (!fd) return;
  ctx.fd_num = *fd;
  ctx.has_fd = true;
  if (ctx.thread) ctx.fd = ctx.thread->fds->find(*fd);
  if (!ctx.fd && *fd >= 0) counters_.fd_misses++;
}

ThreadInfo* State::ensure_thread(std::int64_t tid, std::uint64_t ts) {
  ThreadInfo* t = threads_.find(tid);
  if (!t) {
    counters_.thread_misses++;
    // A thread first met in the middle of a capture: what libsinsp makes of it (no
    // process, "<NA>" names) until a clone or execve event describes it.
    auto n = std::make_unique<ThreadInfo>();
    n->tid = tid;
    n->comm = n->exe = "<NA>";
    n->update_cmdline();
    n->uid = n->gid = UINT32_MAX;  // credentials unknown until an event carries them
    t = threads_.add(std::move(n));
  }
  t->last_ts = ts;
  return t;
}

void State::mark_exited(ThreadInfo* t) {
  t->exited = true;
  exited_.push_back(t->tid);
}

// Falco removes an exited thread only after its procexit event has been shown to rules;
// the removal happens at the next event.
void State::flush_exited() {
  for (std::int64_t tid : exited_) {
    last_enter_.erase(tid);
    ThreadInfo* t = threads_.find(tid);
    if (t && t->exited) threads_.remove(tid);
  }
  exited_.clear();
}

std::string_view State::cwd_of(ThreadInfo* t) {
  ThreadInfo* m = threads_.main_thread(t);
  return m ? std::string_view(m->cwd) : std::string_view();
}

std::string_view State::dirfd_path(const EventContext& ctx, std::int64_t dirfd) {
  if (dirfd == kAtFdcwd) return cwd_of(ctx.thread);
  if (!ctx.thread) return {};
  const FdInfo* d = ctx.thread->fds->find(dirfd);
  return d ? std::string_view(d->name) : std::string_view();
}

}  // namespace saker::syscall
