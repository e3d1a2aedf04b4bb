// Parsing of capture list blocks (see capture_lists.h). Field order and the versions in
// which each field appeared follow the scap file format.
#include "capture_lists.h"

#include <algorithm>
#include <cstring>

namespace saker::syscall::scap {

// One trailing NUL ends the list rather than starting an empty last element ("a\0" is
// one element, "\0" none), as libsinsp splits argument lists.
std::vector<std::string_view> split_nul_list(std::string_view s) {
  std::vector<std::string_view> out;
  if (s == std::string_view("\0", 1)) return out;
  while (!s.empty()) {
    const auto nul = s.find('\0');
    out.push_back(s.substr(0, nul));
    if (nul == std::string_view::npos) break;
    s.remove_prefix(nul + 1);
  }
  return out;
}

namespace lists {
namespace {

std::string trim_nul(std::string s) {
  const auto nul = s.find('\0');
  if (nul != std::string::npos) s.resize(nul);
  return s;
}

// A sub-entry with its own u32 length prefix (which counts itself): bounds the fields read
// inside it and skips whatever newer fields this reader does not know.
ByteCursor sub_entry(ByteCursor& c) {
  const std::uint64_t at = c.offset();
  const std::uint32_t len = c.u32();
  if (len < 4) throw CaptureError("list entry length " + std::to_string(len) + " too small", at);
  return ByteCursor(c.bytes(len - 4), at + 4, "list entry");
}

void parse_proc_base(ByteCursor& c, int v, ProcessEntry& p) {
  p.tid = c.u64();
  p.pid = c.u64();
  p.ptid = c.u64();
  if (v >= 6) p.sid = c.i64();
  if (v >= 8) p.vpgid = c.i64();
  p.comm = c.str16();
  p.exe = c.str16();
  if (v >= 7) p.exepath = c.str16();
  p.args = c.str16();
  p.cwd = c.str16();
  p.fdlimit = c.u64();
  p.flags = c.u32();
  p.uid = c.u32();
  p.gid = c.u32();
  if (v < 2) return;
  p.vmsize_kb = c.u32();
  p.vmrss_kb = c.u32();
  p.vmswap_kb = c.u32();
  p.pfmajor = c.u64();
  p.pfminor = c.u64();
  if (v >= 3) p.env = c.str16();
  if (v < 4) return;
  p.vtid = c.i64();
  p.vpid = c.i64();
  p.cgroups = c.str16();
  if (v >= 5) p.root = c.str16();
}

// Fields appended in v9 entries; each is read only if the entry is long enough. Entries
// written before libs 0.10 lack pidns_init_start_ts/tty, which newer writers put in front of
// loginuid: 29 bytes or less left means the old order.
void parse_proc_tail(ByteCursor& c, ProcessEntry& p) {
  if (c.remaining() > 29) {
    if (c.remaining() >= 8) p.pidns_init_start_ts = c.u64();
    if (c.remaining() >= 4) p.tty = c.u32();
  }
  if (c.remaining() >= 4) p.loginuid = c.u32();
  if (c.remaining() >= 1) p.exe_writable = c.u8() != 0;
  if (c.remaining() >= 8) p.cap_inheritable = c.u64();
  if (c.remaining() >= 8) p.cap_permitted = c.u64();
  if (c.remaining() >= 8) p.cap_effective = c.u64();
  if (c.remaining() >= 1) p.exe_upper_layer = c.u8() != 0;
  if (c.remaining() >= 8) p.exe_ino = c.u64();
  if (c.remaining() >= 8) p.exe_ino_ctime = c.u64();
  if (c.remaining() >= 8) p.exe_ino_mtime = c.u64();
  if (c.remaining() >= 1) p.exe_from_memfd = c.u8() != 0;
}

void parse_socket(ByteCursor& c, FdEntry& f, std::size_t addr_len, bool server) {
  auto a = c.bytes(addr_len);
  std::copy(a.begin(), a.end(), f.sip.begin());
  if (!server) {
    auto b = c.bytes(addr_len);
    std::copy(b.begin(), b.end(), f.dip.begin());
  }
  f.sport = c.u16();
  if (!server) f.dport = c.u16();
  f.l4proto = c.u8();
}

void parse_fd_body(ByteCursor& c, FdEntry& f, bool has_sub_len) {
  f.fd = c.i64();
  f.ino = c.u64();
  const std::uint8_t type = c.u8();
  f.type = static_cast<FdType>(type);
  switch (f.type) {
    case FdType::kIpv4Sock:
      parse_socket(c, f, 4, false);
      break;
    case FdType::kIpv4ServSock:
      parse_socket(c, f, 4, true);
      break;
    case FdType::kIpv6Sock:
      parse_socket(c, f, 16, false);
      break;
    case FdType::kIpv6ServSock:
      parse_socket(c, f, 16, true);
      break;
    case FdType::kUnixSock:
      f.unix_src = c.u64();
      f.unix_dst = c.u64();
      f.name = trim_nul(c.str16());
      break;
    case FdType::kFileV2:
      f.open_flags = c.u32();
      f.name = trim_nul(c.str16());
      if (has_sub_len && c.remaining() >= 4) f.dev = c.u32();
      break;
    case FdType::kUnknown:
      break;
    default:
      if (type > static_cast<std::uint8_t>(FdType::kPidfd)) {
        // A kind from a newer writer: its payload layout is unknown. With a length prefix
        // the rest of the entry is skipped by the caller; without one we cannot continue.
        if (!has_sub_len) c.fail("unknown fd type " + std::to_string(type));
        f.type = FdType::kUnsupported;
        f.name = "unknown-type:[" + std::to_string(type) + "]";
        break;
      }
      f.name = trim_nul(c.str16());
  }
}

void parse_if_entry(ByteCursor& c, std::uint16_t kind, InterfaceEntry& e) {
  const std::uint16_t name_len = c.u16();
  const bool v6 = kind == block::kIfIpv6 || kind == block::kIfIpv6NoLinkSpeed;
  const std::size_t alen = v6 ? 16 : 4;
  e.family = v6 ? 10 : 2;
  for (auto* dst : {&e.addr, &e.netmask, &e.bcast}) {
    auto b = c.bytes(alen);
    std::copy(b.begin(), b.end(), dst->begin());
  }
  if (kind == block::kIfIpv4 || kind == block::kIfIpv6) e.linkspeed = c.u64();
  auto n = c.bytes(name_len);
  e.name = trim_nul(std::string(reinterpret_cast<const char*>(n.data()), n.size()));
}

}  // namespace

MachineInfo parse_machine_info(ByteCursor& c) {
  MachineInfo m;
  m.num_cpus = c.u32();
  m.memory_size_bytes = c.u64();
  m.max_pid = c.u64();
  auto host = c.bytes(128);
  m.hostname = trim_nul(std::string(reinterpret_cast<const char*>(host.data()), host.size()));
  if (c.remaining() >= 8) m.boot_ts_epoch = c.u64();
  if (c.remaining() >= 8) m.flags = c.u64();
  return m;
}

void parse_proclist(ByteCursor& c, int version, std::vector<ProcessEntry>& out,
                    EntryBudget& budget) {
  while (c.remaining() >= 4) {
    if (!budget.take(c.offset())) return;
    ProcessEntry p;
    if (version >= 9) {
      ByteCursor e = sub_entry(c);
      parse_proc_base(e, version, p);
      parse_proc_tail(e, p);
    } else {
      parse_proc_base(c, version, p);
    }
    out.push_back(std::move(p));
  }
}

void parse_fd_entries(ByteCursor& c, bool v2, std::vector<FdEntry>* out, EntryBudget& budget) {
  while (c.remaining() >= 4) {
    // Fds of an unknown tid cost no memory: they are not counted against the budget.
    if (!out) {
      budget.tick(c.offset());
    } else if (!budget.take(c.offset())) {
      return;
    }
    FdEntry f;
    if (v2) {
      ByteCursor e = sub_entry(c);
      parse_fd_body(e, f, true);
    } else {
      parse_fd_body(c, f, false);
    }
    if (out) out->push_back(std::move(f));
  }
}

void parse_iflist(ByteCursor& c, bool v2, std::vector<InterfaceEntry>& out,
                  EntryBudget& budget) {
  while (c.remaining() >= 4) {
    if (!budget.take(c.offset())) return;
    InterfaceEntry e;
    if (v2) {
      const std::uint64_t at = c.offset();
      const std::uint32_t len = c.u32();
      ByteCursor sub(c.bytes(len), at + 4, "interface entry");
      const std::uint16_t kind = sub.u16();
      if (kind < block::kIfIpv4 || kind > block::kIfIpv6NoLinkSpeed)
        sub.fail("unknown interface kind " + std::to_string(kind));
      parse_if_entry(sub, kind, e);
    } else {
      const std::uint16_t kind = c.u16();
      if (kind < block::kIfIpv4 || kind > block::kIfIpv6NoLinkSpeed)
        c.fail("unknown interface kind " + std::to_string(kind));
      parse_if_entry(c, kind, e);
    }
    out.push_back(std::move(e));
  }
}

void parse_userlist(ByteCursor& c, bool v2, std::vector<UserEntry>& users,
                    std::vector<GroupEntry>& groups, EntryBudget& budget) {
  while (c.remaining() >= 4) {
    if (!budget.take(c.offset())) return;
    ByteCursor e = v2 ? sub_entry(c) : c;
    const std::uint8_t kind = e.u8();
    if (kind == 0) {
      UserEntry u;
      u.uid = e.u32();
      u.gid = e.u32();
      u.name = trim_nul(e.str16());
      u.home = trim_nul(e.str16());
      u.shell = trim_nul(e.str16());
      users.push_back(std::move(u));
    } else {
      GroupEntry g;
      g.gid = e.u32();
      g.name = trim_nul(e.str16());
      groups.push_back(std::move(g));
    }
    if (!v2) c = e;  // v1 entries have no length: continue where this one ended
  }
}

}  // namespace lists
}  // namespace saker::syscall::scap
