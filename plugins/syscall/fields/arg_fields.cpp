// evt.arg / evt.rawarg (by name or index), evt.args and evt.info. The exit event's own
// parameters come first; a name the exit event lacks is looked up in its enter event (the
// folding of enter parameters that current Falco does).
//
// Falco also accepts the dotted spelling evt.arg.NAME. Until the rule compiler maps it to
// evt.arg[NAME] itself, the table carries one hidden alias per parameter name of the event
// table, so every such spelling resolves.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "event_table.h"
#include "field_table.h"
#include "param_format.h"
#include "state/paths.h"

namespace saker::syscall::fields {
namespace {

using scap::ParamType;
using sdk::FieldType;

bool is_flag_type(ParamType t) {
  return t == ParamType::kFlags8 || t == ParamType::kFlags16 || t == ParamType::kFlags32 ||
         t == ParamType::kMode || t == ParamType::kEnumFlags8 || t == ParamType::kEnumFlags16 ||
         t == ParamType::kEnumFlags32;
}

// One parameter as libsinsp renders it: its value, and what the value resolves to (the
// descriptor "<f>/etc/passwd", the process name of a pid, the names of flags, an errno's
// name). evt.args shows "value(resolved)", evt.arg the resolved text when there is one.
struct Rendered {
  std::string value, resolved;
};

const FdInfo* fd_by_number(const FieldCtx& c, std::int64_t n) {
  if (c.ec.fd && n == c.ec.fd_num) return c.ec.fd;  // also a descriptor the event closed
  return c.ec.thread ? c.ec.thread->fds->find(n) : nullptr;
}

// Falco's fdlist: "fd:" then the descriptor's type letter and the poll flags in hex.
std::string render_fdlist(const FieldCtx& c, const scap::EventView& v, std::uint32_t i) {
  std::string out;
  auto n = v.param_fdlist_size(i);
  for (std::uint16_t k = 0; n && k < *n; ++k) {
    auto e = v.param_fdlist_entry(i, k);
    if (!e) break;
    if (!out.empty()) out += ' ';
    char buf[48];
    const FdInfo* f = fd_by_number(c, e->fd);
    const char tc[2] = {f ? fd_type_char(f->type) : '\0', '\0'};
    std::snprintf(buf, sizeof buf, "%lld:%s%x", static_cast<long long>(e->fd), tc,
                  static_cast<unsigned>(e->flags));
    out += buf;
  }
  return out;
}

// A duration resolved as libsinsp resolves one: seconds, "%g" ("0s", "0.0015s").
std::string duration_text(std::uint64_t ns) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(ns) / 1e9);
  return buf;
}

Rendered render(const FieldCtx& c, const scap::EventView& v, std::uint32_t i) {
  const scap::EventInfo& info = v.info();
  if (i >= info.nparams || v.param(i).empty()) return {scap::format_param(v, i), {}};
  const scap::ParamInfo& pi = info.params[i];
  switch (pi.type) {
    case ParamType::kFd: {
      constexpr std::int64_t kAtFdcwd = -100;  // a directory fd meaning "the cwd"
      const std::int64_t n = v.param_int(i).value_or(0);
      if (n == kAtFdcwd) return {"-100", "AT_FDCWD"};
      if (n < 0) break;  // an error: "-2(ENOENT)"
      Rendered r{std::to_string(n), {}};
      if (const FdInfo* f = fd_by_number(c, n)) r.resolved = fd_resolved(*f);
      return r;
    }
    case ParamType::kPid: {
      const std::int64_t n = v.param_int(i).value_or(0);
      Rendered r{std::to_string(n), {}};
      if (n > 0) {
        if (const ThreadInfo* t = c.state.threads().find(n)) r.resolved = t->comm;
      }
      return r;
    }
    case ParamType::kErrno: {
      const std::int64_t n = v.param_int(i).value_or(0);
      if (n >= 0 || pi.format == scap::PrintFormat::kHex) break;
      const std::string s = scap::format_errno(n);  // "-2(ENOENT)"
      const auto open = s.find('(');
      if (open == std::string::npos) return {s, {}};
      return {s.substr(0, open), s.substr(open + 1, s.size() - open - 2)};
    }
    case ParamType::kFdList:
      return {render_fdlist(c, v, i), {}};
    case ParamType::kFsPath:
    case ParamType::kFsRelPath: {
      // A relative path resolves against the cwd, or the directory fd it names.
      const std::string_view p = v.param_str(i).value_or("");
      Rendered r{std::string(p), {}};
      if (p.empty() || p[0] == '/' || !c.ec.thread) return r;
      std::string_view base = c.state.cwd_of(c.ec.thread);
      if (pi.type == ParamType::kFsRelPath && pi.dirfd_index < v.nparams()) {
        base = c.state.dirfd_path(c.ec, v.param_int(pi.dirfd_index).value_or(-100));
      }
      if (!base.empty()) r.resolved = resolve_path(base, p);
      return r;
    }
    case ParamType::kRelTime: {
      const std::uint64_t ns = v.param_uint(i).value_or(0);
      return {std::to_string(ns), duration_text(ns)};
    }
    default:
      if (is_flag_type(pi.type) && pi.flags) {
        auto val = v.param_uint(i);
        if (!val) break;
        const bool is_enum = pi.type >= ParamType::kEnumFlags8;
        Rendered r;
        if (pi.type == ParamType::kMode) {
          char buf[32];
          std::snprintf(buf, sizeof buf, "%#llo", static_cast<unsigned long long>(*val));
          r.value = buf;
        } else {
          r.value = std::to_string(*val);
        }
        r.resolved = scap::format_flags(*val, pi.flags, is_enum);
        return r;
      }
  }
  return {scap::format_param(v, i), {}};
}

// The layout Falco shows a syscall exit event in: that of the newest exit type of the same
// name (libs converts the events of older layouts to it, taking the parameters they lack
// from the enter event). Other events keep their own. Computed once per type.
std::uint16_t current_type(std::uint16_t type) {
  static const auto table = [] {
    std::vector<std::uint16_t> t(std::size_t{scap::kEventTypeCount} + 1);
    std::map<std::string_view, std::uint16_t> newest;
    for (std::uint16_t i = 0; i < scap::kEventTypeCount; ++i) {
      t[i] = i;
      const scap::EventInfo& e = scap::event_info(i);
      if (!e.name || !scap::is_exit(i) || !scap::is_known_event(i - 1) ||
          e.source != scap::EventSource::kSyscall || i == scap::kGenericX) {
        continue;
      }
      newest[e.name] = i;  // codes grow with versions
    }
    for (std::uint16_t i = 0; i < scap::kEventTypeCount; ++i) {
      const scap::EventInfo& e = scap::event_info(i);
      if (t[i] != i || !e.name || !scap::is_exit(i)) continue;
      if (auto it = newest.find(e.name); it != newest.end()) t[i] = it->second;
    }
    t[scap::kEventTypeCount] = scap::kEventTypeCount;
    return t;
  }();
  return table[std::min<std::size_t>(type, scap::kEventTypeCount)];
}

const scap::EventInfo& shown_layout(const FieldCtx& c) {
  return scap::event_info(current_type(c.ec.evt.type()));
}

// Parameter `i` of the shown layout: from the exit event (by position when it has the
// shown layout, else by name), else from the folded enter event by name. No view when
// neither carries it.
ArgRef param_at(const FieldCtx& c, std::uint32_t i) {
  const scap::EventView& ev = c.ec.evt;
  const scap::EventInfo& info = shown_layout(c);
  if (&info == &ev.info()) {
    if (ev.has_param(i)) return {&ev, i};
  } else if (i < info.nparams && info.params[i].name) {
    if (auto j = c.ec.param_index(ev, info.params[i].name); j && ev.has_param(*j)) {
      return {&ev, *j};
    }
  }
  if (i < info.nparams && info.params[i].name && c.ec.enter) {
    if (auto j = c.ec.param_index(*c.ec.enter, info.params[i].name);
        j && c.ec.enter->has_param(*j)) {
      return {&*c.ec.enter, *j};
    }
  }
  return {};
}

// A parameter neither event carries: libs fills an enter-side one with its default (0)
// when the whole enter event is missing, and leaves the others empty ("<NA>").
std::string missing_text(const FieldCtx& c, std::uint32_t i) {
  const scap::EventInfo& info = shown_layout(c);
  if (c.ec.enter || i >= info.nparams || !info.params[i].name) return "<NA>";
  const std::uint16_t enter_type = static_cast<std::uint16_t>(current_type(c.ec.evt.type()) - 1);
  auto j = scap::find_param(enter_type, info.params[i].name);
  if (!j) return "<NA>";
  const scap::ParamInfo& pi = scap::event_info(enter_type).params[*j];
  if (pi.type == ParamType::kCharBuf || pi.type == ParamType::kFsPath ||
      pi.type == ParamType::kByteBuf || pi.type == ParamType::kSockAddr ||
      pi.type == ParamType::kSockTuple || pi.type == ParamType::kFsRelPath) {
    return "<NA>";
  }
  std::string out = "0";
  if (is_flag_type(pi.type) && pi.flags) {
    const std::string names = scap::format_flags(0, pi.flags, pi.type >= ParamType::kEnumFlags8);
    if (!names.empty()) out += "(" + names + ")";
  }
  return out;
}

ArgRef find(const FieldCtx& c) {
  if (c.key.empty()) return {};
  if (c.key[0] >= '0' && c.key[0] <= '9') {
    return param_at(c, static_cast<std::uint32_t>(std::stoul(std::string(c.key))));
  }
  return c.ec.arg(c.key);
}

bool is_generic(const FieldCtx& c) {
  const std::uint16_t t = c.ec.evt.type();
  return t == scap::kGenericE || t == scap::kGenericX;
}

void evt_arg(const FieldCtx& c) {
  ArgRef a = find(c);
  if (!a) return;
  Rendered r = render(c, *a.view, a.index);
  c.req.set(r.resolved.empty() ? r.value : r.resolved);
}

void evt_rawarg(const FieldCtx& c) {
  ArgRef a = find(c);
  if (!a) return;
  if (auto v = a.view->param_int(a.index)) c.req.set(*v);
}

// Every parameter of the exit event's layout, "name=value(resolved)"; one neither the exit
// nor the enter event carries is "<NA>". Generic events show none (their ID parameters
// name the syscall, which evt.type already gives).
// libs 0.23's execve exit ends with a 31st parameter, the enter event's filename. saker's
// event table stops at 30 (older captures' layout); the live driver sends the 31st, as
// libs 0.23 does, and it is read here beyond the table.
bool is_execve_filename(const FieldCtx& c, std::uint32_t i) {
  return current_type(c.ec.evt.type()) == scap::kExecveV19X &&
         i == scap::event_info(scap::kExecveV19X).nparams;
}

std::string args_text(const FieldCtx& c) {
  std::string out;
  const scap::EventView& ev = c.ec.evt;
  // A syscall exit event without parameters (an old layout libs does not convert) shows none.
  if (is_generic(c) || (ev.nparams() == 0 && scap::is_exit(ev.type()))) return out;
  const scap::EventInfo& info = shown_layout(c);
  // Events that are not syscall exits (procexit, switch, meta events) show what they carry.
  const bool converted = &info != &ev.info() || scap::is_exit(ev.type());
  const std::uint32_t n =
      converted ? std::max<std::uint32_t>(info.nparams, ev.nparams()) : ev.nparams();
  for (std::uint32_t i = 0; i < n; ++i) {
    if (!out.empty()) out += ' ';
    if (i < info.nparams && info.params[i].name) {
      out += info.params[i].name;
    } else if (is_execve_filename(c, i)) {
      out += "filename";
    } else {
      out += "arg" + std::to_string(i);
    }
    out += '=';
    ArgRef a = param_at(c, i);
    if (!a) {
      out += missing_text(c, i);
      continue;
    }
    if (is_execve_filename(c, i)) {  // a path beyond the table: its text up to the NUL
      const auto raw = a.view->param(a.index);
      const std::string_view p(reinterpret_cast<const char*>(raw.data()), raw.size());
      out += p.empty() ? std::string_view("<NA>") : p.substr(0, p.find('\0'));
      continue;
    }
    Rendered r = render(c, *a.view, a.index);
    out += r.value;
    if (!r.resolved.empty()) {
      out += '(';
      out += r.resolved;
      out += ')';
    }
  }
  return out;
}

// An execve exit recorded by libs 0.23 (Falco's own captures) or by saker's live driver
// carries it itself; for older captures' execve exits evt.args appends it from the enter event.
void append_execve_filename(const FieldCtx& c, std::string& out) {
  if (current_type(c.ec.evt.type()) != scap::kExecveV19X) return;
  if (c.ec.evt.nparams() > scap::event_info(scap::kExecveV19X).nparams) return;
  out += " filename=";
  ArgRef a = c.ec.enter ? c.ec.arg("filename") : ArgRef{};
  out += a ? render(c, *a.view, a.index).value : std::string("<NA>");
}

void evt_args(const FieldCtx& c) {
  std::string s = args_text(c);
  if (!s.empty()) append_execve_filename(c, s);
  c.req.set(s);
}

void evt_info(const FieldCtx& c) { evt_args(c); }

std::set<std::string> all_param_names() {
  std::set<std::string> names;
  for (const auto& e : scap::event_table()) {
    for (std::uint32_t i = 0; i < e.nparams; ++i) {
      if (e.params && e.params[i].name) names.insert(e.params[i].name);
    }
  }
  return names;
}

}  // namespace

std::vector<FieldEntry> arg_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("evt.arg", FT::kString,
            "One argument of the event, by name (evt.arg.fd, evt.arg[fd]) or index "
            "(evt.arg[0]) in the exit event's current layout (enter arguments appended), as "
            "text: what it resolves to when it does (<f>/etc/passwd for an fd, the process "
            "name of a pid, flag names, ENOENT), else its value.",
            &evt_arg),
      field("evt.rawarg", FT::kS64,
            "One numeric argument of the event, by name (evt.rawarg.res), unformatted.",
            &evt_rawarg),
      field("evt.args", FT::kString,
            "All the arguments of the event as name=value pairs, enter arguments folded into "
            "the exit event, resolved values in parentheses: fd=3(<f>/etc/passwd) "
            "pid=20072(cat) flags=1(O_RDONLY) res=-2(ENOENT).",
            &evt_args),
      field("evt.info", FT::kString, "The same text as evt.args.", &evt_info),
  };
  v[0].info.with_arg(sdk::ArgKind::kIndexOrKey, true);
  v[1].info.with_arg(sdk::ArgKind::kKey, true);
  for (const auto& name : all_param_names()) {
    FieldEntry a = field("", FT::kString, "Alias of evt.arg[NAME].", &evt_arg);
    a.info.name = "evt.arg." + name;
    a.info.as_hidden();
    a.key = name;
    v.push_back(std::move(a));
    FieldEntry r = field("", FT::kS64, "Alias of evt.rawarg[NAME].", &evt_rawarg);
    r.info.name = "evt.rawarg." + name;
    r.info.as_hidden();
    r.key = name;
    v.push_back(std::move(r));
  }
  return v;
}

}  // namespace saker::syscall::fields
