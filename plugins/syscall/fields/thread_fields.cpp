// thread.* fields: thread ids and capability sets (rendered as capability names, as
// Falco's thread.cap_* are).
#include "field_table.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

constexpr const char* kCapNames[] = {"CAP_CHOWN",
                                     "CAP_DAC_OVERRIDE",
                                     "CAP_DAC_READ_SEARCH",
                                     "CAP_FOWNER",
                                     "CAP_FSETID",
                                     "CAP_KILL",
                                     "CAP_SETGID",
                                     "CAP_SETUID",
                                     "CAP_SETPCAP",
                                     "CAP_LINUX_IMMUTABLE",
                                     "CAP_NET_BIND_SERVICE",
                                     "CAP_NET_BROADCAST",
                                     "CAP_NET_ADMIN",
                                     "CAP_NET_RAW",
                                     "CAP_IPC_LOCK",
                                     "CAP_IPC_OWNER",
                                     "CAP_SYS_MODULE",
                                     "CAP_SYS_RAWIO",
                                     "CAP_SYS_CHROOT",
                                     "CAP_SYS_PTRACE",
                                     "CAP_SYS_PACCT",
                                     "CAP_SYS_ADMIN",
                                     "CAP_SYS_BOOT",
                                     "CAP_SYS_NICE",
                                     "CAP_SYS_RESOURCE",
                                     "CAP_SYS_TIME",
                                     "CAP_SYS_TTY_CONFIG",
                                     "CAP_MKNOD",
                                     "CAP_LEASE",
                                     "CAP_AUDIT_WRITE",
                                     "CAP_AUDIT_CONTROL",
                                     "CAP_SETFCAP",
                                     "CAP_MAC_OVERRIDE",
                                     "CAP_MAC_ADMIN",
                                     "CAP_SYSLOG",
                                     "CAP_WAKE_ALARM",
                                     "CAP_BLOCK_SUSPEND",
                                     "CAP_AUDIT_READ",
                                     "CAP_PERFMON",
                                     "CAP_BPF",
                                     "CAP_CHECKPOINT_RESTORE"};

std::string cap_names(std::uint64_t caps) {
  std::string out;
  for (std::size_t i = 0; i < std::size(kCapNames); ++i) {
    if (!(caps & (std::uint64_t{1} << i))) continue;
    if (!out.empty()) out += ' ';
    out += kCapNames[i];
  }
  return out;
}

// The event's own thread id, known even when the state has no such thread.
void tid(const FieldCtx& c) { c.req.set(static_cast<std::int64_t>(c.ec.evt.tid())); }
void vtid(const FieldCtx& c) {
  ThreadInfo* t = c.thread();
  if (t && t->vtid >= 0) c.req.set(t->vtid);
}
void ismain(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(t->is_main_thread());
}
void cap_permitted(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(cap_names(t->cap_permitted));
}
void cap_effective(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(cap_names(t->cap_effective));
}
void cap_inheritable(const FieldCtx& c) {
  if (ThreadInfo* t = c.thread()) c.req.set(cap_names(t->cap_inheritable));
}

}  // namespace

std::vector<FieldEntry> thread_fields() {
  using FT = FieldType;
  return {
      field("thread.tid", FT::kS64, "Thread id.", &tid),
      field("thread.vtid", FT::kS64, "Thread id in its pid namespace.", &vtid),
      field("thread.ismain", FT::kBool, "True for the main thread of a process.", &ismain),
      field("thread.cap_permitted", FT::kString, "Permitted capabilities, by name.",
            &cap_permitted),
      field("thread.cap_effective", FT::kString, "Effective capabilities, by name.",
            &cap_effective),
      field("thread.cap_inheritable", FT::kString, "Inheritable capabilities, by name.",
            &cap_inheritable),
  };
}

}  // namespace saker::syscall::fields
