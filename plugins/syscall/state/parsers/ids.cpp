// Parsers of credential and session changes: setuid/setgid/setresuid/setresgid and
// setreuid/setregid (the effective id), setsid (new session), setpgid (process group).
#include "parsers.h"

namespace saker::syscall::parsers {
namespace {

// The parameters these parsers read, their indexes per event type found once.
const ParamKey kArg_egid{"egid"};
const ParamKey kArg_euid{"euid"};
const ParamKey kArg_gid{"gid"};
const ParamKey kArg_pgid{"pgid"};
const ParamKey kArg_pid{"pid"};
const ParamKey kArg_uid{"uid"};


bool succeeded(const EventContext& ctx) {
  auto res = ctx.res();
  return res && *res >= 0 && ctx.thread;
}

void parse_setuid(State&, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  if (auto v = ctx.arg_uint(kArg_uid)) ctx.thread->uid = static_cast<std::uint32_t>(*v);
}

// setresuid and setreuid: the effective uid, unless the call left it unchanged (-1).
void parse_setresuid(State&, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  auto v = ctx.arg_uint(kArg_euid);
  if (v && *v != UINT32_MAX) ctx.thread->uid = static_cast<std::uint32_t>(*v);
}

void parse_setgid(State&, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  if (auto v = ctx.arg_uint(kArg_gid)) ctx.thread->gid = static_cast<std::uint32_t>(*v);
}

// setresgid and setregid, likewise.
void parse_setresgid(State&, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  auto v = ctx.arg_uint(kArg_egid);
  if (v && *v != UINT32_MAX) ctx.thread->gid = static_cast<std::uint32_t>(*v);
}

void parse_setsid(State&, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  ctx.thread->sid = *ctx.res();
}

void parse_setpgid(State& st, EventContext& ctx) {
  if (!succeeded(ctx)) return;
  auto pid = ctx.arg_int(kArg_pid).value_or(0);
  auto pgid = ctx.arg_int(kArg_pgid).value_or(0);
  ThreadInfo* target = pid == 0 ? ctx.thread : st.threads().find(pid);
  if (!target) return;
  target->vpgid = pgid == 0 ? target->pid : pgid;
}

}  // namespace

void register_ids(ParserTable& t) {
  on_event(t, "setuid", &parse_setuid);
  on_event(t, "setresuid", &parse_setresuid);
  on_event(t, "setgid", &parse_setgid);
  on_event(t, "setresgid", &parse_setresgid);
  on_event(t, "setreuid", &parse_setresuid);
  on_event(t, "setregid", &parse_setresgid);
  on_event(t, "setsid", &parse_setsid);
  on_event(t, "setpgid", &parse_setpgid);
}

}  // namespace saker::syscall::parsers
