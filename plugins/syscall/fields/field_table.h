// The syscall plugin's field table: one entry per field, each with a small extractor
// function, grouped by field family in evt_fields.cpp, arg_fields.cpp, proc_fields.cpp,
// proc_tree_fields.cpp, thread_fields.cpp, fd_fields.cpp, fs_fields.cpp and
// user_fields.cpp. The order of the table is the order of `saker --list=syscall`.
//
// An extractor reads the event context (state/event_context.h) and sets the request's
// value, or leaves it unset for "no value" (Falco's <NA>). Extractors run on the hot path:
// they do not throw on bad data and allocate only for the strings they return.
#pragma once

#include <saker/sdk/types.h>

#include <string>
#include <vector>

#include "state/state.h"

namespace saker::syscall::fields {

struct FieldCtx {
  State& state;
  const EventContext& ec;
  sdk::ExtractRequest& req;
  std::string_view key;  // the field's argument: "3" for name[3], "flags" for evt.arg.flags
  bool has_arg;
  bool list = false;  // the field is declared a list (see any_match_fields below)

  ThreadInfo* thread() const { return ec.thread; }
  ThreadInfo* process() const { return state.threads().main_thread(ec.thread); }
  ThreadInfo* parent() const { return state.threads().parent(ec.thread); }
};

using ExtractFn = void (*)(const FieldCtx& c);

struct FieldEntry {
  sdk::FieldInfo info;
  ExtractFn fn;
  std::string key;  // a fixed argument (evt.arg.NAME aliases), empty when none

  // Marks a Falco "any match" field (fd.ip, proc.aname, ...): see all_fields().
  FieldEntry&& with_list() && {
    any_match = true;
    return std::move(*this);
  }
  bool any_match = false;
};

// Shorthand for building entries.
inline FieldEntry field(const char* name, sdk::FieldType type, const char* desc, ExtractFn fn) {
  return FieldEntry{sdk::FieldInfo(name, type, desc), fn, {}};
}

std::vector<FieldEntry> evt_fields();
std::vector<FieldEntry> arg_fields();
std::vector<FieldEntry> proc_fields();
std::vector<FieldEntry> proc_tree_fields();
std::vector<FieldEntry> thread_fields();
std::vector<FieldEntry> fd_fields();
std::vector<FieldEntry> fs_fields();
std::vector<FieldEntry> user_fields();
std::vector<FieldEntry> cgroup_fields();  // cgroup_fields.cpp

// Every field, in listing order. Falco's "any match" fields (fd.ip/port/net match either
// socket end, proc.aname/apid without index any ancestor) are declared as lists only when
// `any_match_lists` is set: the rule compiler must then give = and != on them Falco's
// any-match meaning. Otherwise they are single-valued (server end, parent), which every
// compiler accepts.
std::vector<FieldEntry> all_fields(bool any_match_lists = false);

// Helpers shared by the families.
// What an fd parameter resolves to in Falco's rendering: "<" type letter(s) ">" name, e.g.
// "<f>/etc/passwd", "<6t>1.2.3.4:5->6.7.8.9:80" (fd_fields.cpp).
std::string fd_resolved(const FdInfo& f);
std::string join(const std::vector<std::string>& v, std::string_view sep);
const std::string& cmdline(const ThreadInfo& t);  // comm + " " + args
void set_nonempty(const FieldCtx& c, std::string_view s);
// A string owned by the state (a thread's comm, an fd's name, ...): handed to the host
// without a copy, with its length (it stays unchanged until the plugin is handed another
// event: SyscallPlugin::kValuesLiveForEvent). Temporaries and locals must use the
// string_view overload (a copy), hence the deleted rvalue overload.
inline void set_nonempty(const FieldCtx& c, const std::string& s) {
  if (!s.empty()) c.req.set_ref(s);
}
void set_nonempty(const FieldCtx& c, std::string&& s) = delete;

}  // namespace saker::syscall::fields
