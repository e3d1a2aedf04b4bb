// evt.* fields with syscall semantics: type, direction, category, return value, I/O and
// open classification, buffers, latency.
#include <algorithm>
#include <cstring>
#include <vector>

#include "engine/x86_64_syscalls.h"
#include "event_table.h"
#include "field_table.h"
#include "syscall_names.h"

namespace saker::syscall::fields {
namespace {

using scap::EventCategory;
using sdk::FieldType;

constexpr std::uint32_t kORdonly = 1u << 0, kOWronly = 1u << 1, kOCreat = 1u << 2;
constexpr std::uint32_t kOTmpfile = 1u << 13, kOFCreated = 1u << 14;

// Generic events (syscalls without their own event type) are named by their syscall code,
// as libsinsp names them; a code the recording driver did not know (0) by the native
// syscall number (x86_64), as Falco 0.43 names it.
void evt_type(const FieldCtx& c) {
  const std::uint16_t t = c.ec.evt.type();
  if (t == scap::kGenericE || t == scap::kGenericX) {
    // Names are string literals (NUL-terminated, static): no copy needed.
    const std::uint64_t code = c.ec.evt.param_uint(0).value_or(0);
    if (code == 0) {
      if (auto nr = c.ec.arg_uint("nativeID")) {
        const std::string_view n = x86_64_syscall_name(static_cast<std::uint32_t>(*nr));
        if (!n.empty()) return c.req.set_ref(n.data());
      }
    }
    return c.req.set_ref(scap::syscall_code_name(code).data());
  }
  // An async event named "container" (Falco 0.41+) is a container event (generic_types.h).
  if (t == scap::kAsynceventE && c.ec.evt.param_str(1) == "container") {
    return c.req.set_ref("container");
  }
  c.req.set_ref(c.ec.evt.info().name);
}
void evt_dir(const FieldCtx& c) { c.req.set_ref(scap::is_enter(c.ec.evt.type()) ? ">" : "<"); }

std::string_view category_of_fd(const FdInfo* fd) {
  if (!fd) return "unknown";
  if (fd->is_file()) return "file";
  if (fd->is_inet() || fd->type == FdType::kUnixSock || fd->type == FdType::kNetlink) return "net";
  if (fd->type == FdType::kUnknown) return "unknown";
  return "ipc";
}

void evt_category(const FieldCtx& c) {
  static constexpr const char* kNames[] = {"unknown", "other",   "file",      "net",    "ipc",
                                           "memory",  "process", "sleep",     "system", "signal",
                                           "user",    "time",    "processing"};
  auto cat = c.ec.evt.info().category;
  if (cat == EventCategory::kIoRead || cat == EventCategory::kIoWrite ||
      cat == EventCategory::kIoOther) {
    c.req.set(category_of_fd(c.ec.fd));
  } else if (cat == EventCategory::kWait) {
    c.req.set("wait");
  } else if (cat == EventCategory::kScheduler) {
    c.req.set("scheduler");
  } else if (cat == EventCategory::kInternal) {
    c.req.set("unknown");  // libsinsp has no name for its internal category
  } else if (static_cast<unsigned>(cat) < std::size(kNames)) {
    c.req.set(kNames[static_cast<unsigned>(cat)]);
  }
}

void evt_res(const FieldCtx& c) {
  auto r = c.ec.res();
  if (!r) return;
  if (*r >= 0) return c.req.set("SUCCESS");
  const char* n = *r > -4096 ? strerrorname_np(static_cast<int>(-*r)) : nullptr;
  c.req.set(n ? std::string(n) : std::to_string(*r));
}

void evt_rawres(const FieldCtx& c) {
  if (auto r = c.ec.res()) c.req.set(*r);
}

// No value for events without a return value (procinfo, switch, old layouts), as Falco.
void evt_failed(const FieldCtx& c) {
  if (auto r = c.ec.res()) c.req.set(*r < 0);
}

bool has_flag(const FieldCtx& c, std::uint16_t f) { return c.ec.evt.info().flags & f; }
void evt_is_io(const FieldCtx& c) {
  c.req.set(has_flag(c, scap::kEfReadsFromFd) || has_flag(c, scap::kEfWritesToFd));
}
void evt_is_io_read(const FieldCtx& c) { c.req.set(has_flag(c, scap::kEfReadsFromFd)); }
void evt_is_io_write(const FieldCtx& c) { c.req.set(has_flag(c, scap::kEfWritesToFd)); }
void evt_io_dir(const FieldCtx& c) {
  if (has_flag(c, scap::kEfReadsFromFd)) c.req.set("r");
  if (has_flag(c, scap::kEfWritesToFd)) c.req.set("w");
}
void evt_is_wait(const FieldCtx& c) { c.req.set(has_flag(c, scap::kEfWaits)); }

// Per event type, computed once (these fields are read on every event by the stable
// rules): whether it is an open-family event, creat, and the index of its "flags"
// parameter (-1: none; the enter event is then looked up by name).
struct OpenTypeInfo {
  bool is_open = false, is_creat = false;
  std::int8_t flags_index = -1;
};

const OpenTypeInfo& open_type_info(std::uint16_t type) {
  static const auto table = [] {
    std::vector<OpenTypeInfo> t(std::size_t{scap::kEventTypeCount} + 1);
    for (std::uint16_t i = 0; i < scap::kEventTypeCount; ++i) {
      const std::string_view n = scap::event_info(i).name ? scap::event_info(i).name : "";
      t[i].is_open = n == "open" || n == "openat" || n == "openat2" ||
                     n == "open_by_handle_at" || n == "creat";
      t[i].is_creat = n == "creat";
      if (auto k = scap::find_param(i, "flags")) t[i].flags_index = static_cast<std::int8_t>(*k);
    }
    return t;
  }();
  constexpr std::size_t kCount = scap::kEventTypeCount;
  return table[std::min<std::size_t>(type, kCount)];
}

// The flags of an open-family event (its type's table entry looked up once), 0 for any
// other event: each is_open_* field tests one bit of them.
std::uint32_t open_flags_of(const FieldCtx& c, const OpenTypeInfo& o) {
  if (o.is_creat) return kOWronly | kOCreat;
  if (o.flags_index >= 0 && c.ec.evt.has_param(static_cast<std::uint32_t>(o.flags_index))) {
    return static_cast<std::uint32_t>(c.ec.evt.param_uint(o.flags_index).value_or(0));
  }
  return static_cast<std::uint32_t>(c.ec.arg_uint("flags").value_or(0));
}
std::uint32_t open_flags(const FieldCtx& c, bool* is_open = nullptr) {
  const OpenTypeInfo& o = open_type_info(c.ec.evt.type());
  if (is_open) *is_open = o.is_open;
  if (!o.is_open) return 0;
  if (c.ec.open_flags_memo < 0) c.ec.open_flags_memo = open_flags_of(c, o);
  return static_cast<std::uint32_t>(c.ec.open_flags_memo);
}

void set_open_flag(const FieldCtx& c, std::uint32_t mask) {
  c.req.set((open_flags(c) & mask) != 0);
}

void evt_is_open_read(const FieldCtx& c) { set_open_flag(c, kORdonly); }
void evt_is_open_write(const FieldCtx& c) { set_open_flag(c, kOWronly); }
void evt_is_open_create(const FieldCtx& c) {
  set_open_flag(c, kOCreat | kOTmpfile | kOFCreated);
}
// A file created with an execute permission bit.
void evt_is_open_exec(const FieldCtx& c) {
  bool is_open = false;
  const bool create = open_flags(c, &is_open) & (kOCreat | kOTmpfile | kOFCreated);
  if (!is_open) return c.req.set(false);
  const std::uint64_t mode = c.ec.arg_uint("mode").value_or(0);
  c.req.set(create && (mode & 0111));
}

ArgRef data_arg(const FieldCtx& c) {
  for (const char* n : {"data", "buf"}) {
    if (ArgRef a = c.ec.arg(n)) return a;
  }
  return {};
}

void evt_buffer(const FieldCtx& c) {
  ArgRef a = data_arg(c);
  if (!a) return;
  auto p = a.view->param(a.index);
  c.req.set_bytes(p.data(), p.size());
}

void evt_buflen(const FieldCtx& c) {
  if (!has_flag(c, scap::kEfReadsFromFd) && !has_flag(c, scap::kEfWritesToFd)) return;
  auto r = c.ec.res();
  if (r && *r >= 0) c.req.set(static_cast<std::uint64_t>(*r));
}

void evt_latency(const FieldCtx& c) {
  if (!c.ec.enter || c.ec.enter->ts() > c.ec.evt.ts()) return c.req.set(std::uint64_t{0});
  c.req.set(c.ec.evt.ts() - c.ec.enter->ts());
}

void evt_cpu(const FieldCtx& c) {
  if (c.ec.cpu) c.req.set(static_cast<std::uint64_t>(*c.ec.cpu));
}

void evt_is_syscall(const FieldCtx& c) {
  c.req.set(c.ec.evt.info().source == scap::EventSource::kSyscall);
}

}  // namespace

std::vector<FieldEntry> evt_fields() {
  using FT = FieldType;
  return {
      field("evt.type", FT::kString, "Name of the event (the syscall name, e.g. 'open').",
            &evt_type),
      field("evt.dir", FT::kString, "Direction: '>' enter events, '<' exit events.", &evt_dir),
      field("evt.cpu", FT::kU64, "Number of the CPU the event was recorded on.", &evt_cpu),
      field("evt.category", FT::kString,
            "Category: file, net, ipc, memory, process, sleep, system, signal, user, time, "
            "wait, scheduler, other; I/O events take the category of their descriptor.",
            &evt_category),
      field("evt.res", FT::kString,
            "Return value as text: SUCCESS, or the error name (e.g. ENOENT).", &evt_res),
      field("evt.rawres", FT::kS64, "Return value as a number (negative errno on failure).",
            &evt_rawres),
      field("evt.failed", FT::kBool,
            "True for events that returned an error (no value for events without a return "
            "value).",
            &evt_failed),
      field("evt.is_io", FT::kBool, "True for events that read or write a descriptor.", &evt_is_io),
      field("evt.is_io_read", FT::kBool, "True for events that read from a descriptor.",
            &evt_is_io_read),
      field("evt.is_io_write", FT::kBool, "True for events that write to a descriptor.",
            &evt_is_io_write),
      field("evt.io_dir", FT::kString, "'r' for reads, 'w' for writes.", &evt_io_dir),
      field("evt.is_wait", FT::kBool, "True for events that make the thread wait.", &evt_is_wait),
      field("evt.is_syscall", FT::kBool, "True for system call events.", &evt_is_syscall),
      field("evt.is_open_read", FT::kBool,
            "True for open/openat/openat2/open_by_handle_at/creat events opening for reading.",
            &evt_is_open_read),
      field("evt.is_open_write", FT::kBool, "True for open-family events opening for writing.",
            &evt_is_open_write),
      field("evt.is_open_create", FT::kBool,
            "True for open-family events that create a file (O_CREAT, O_TMPFILE).",
            &evt_is_open_create),
      field("evt.is_open_exec", FT::kBool,
            "True for open-family events creating a file with an execute permission bit.",
            &evt_is_open_exec),
      field("evt.buffer", FT::kBytes, "The data buffer of I/O events.", &evt_buffer),
      field("evt.buflen", FT::kU64, "Bytes read or written by I/O events.", &evt_buflen),
      field("evt.latency", FT::kRelTime,
            "Time between the enter and the exit event of the syscall, in ns.", &evt_latency),
  };
}

}  // namespace saker::syscall::fields
