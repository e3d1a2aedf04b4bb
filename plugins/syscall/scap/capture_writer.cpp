// CaptureWriter: encoding of list and event blocks (see capture_writer.h).
#include "capture_writer.h"

#include <zlib.h>

#include <cstdio>

#include "block_types.h"
#include "event_table.h"

namespace saker::syscall::scap {
namespace {

// Little-endian appender for block bodies.
class Out {
 public:
  explicit Out(std::vector<std::uint8_t>& b) : b_(b) {}
  template <typename T>
  void put(T v) {
    const std::size_t at = b_.size();
    b_.resize(at + sizeof(T));
    store_le(b_.data() + at, v);
  }
  void bytes(const void* p, std::size_t n) {
    const auto* c = static_cast<const std::uint8_t*>(p);
    b_.insert(b_.end(), c, c + n);
  }
  void str16(const std::string& s) {
    const std::size_t n = std::min<std::size_t>(s.size(), 0xffff);
    put(static_cast<std::uint16_t>(n));
    bytes(s.data(), n);
  }
  // Starts a u32 length prefix that counts itself; finish() fills it in.
  std::size_t begin_sub() {
    put(std::uint32_t{0});
    return b_.size() - 4;
  }
  void finish_sub(std::size_t at) {
    store_le(b_.data() + at, static_cast<std::uint32_t>(b_.size() - at));
  }

 private:
  std::vector<std::uint8_t>& b_;
};

std::vector<std::uint8_t> encode_machine(const MachineInfo& m) {
  std::vector<std::uint8_t> b;
  Out o(b);
  o.put(m.num_cpus);
  o.put(m.memory_size_bytes);
  o.put(m.max_pid);
  char host[128] = {};
  m.hostname.copy(host, sizeof host - 1);
  o.bytes(host, sizeof host);
  o.put(m.boot_ts_epoch);
  o.put(m.flags);
  o.put(std::uint64_t{0});
  o.put(std::uint64_t{0});
  return b;
}

std::vector<std::uint8_t> encode_interfaces(const std::vector<InterfaceEntry>& ifs) {
  std::vector<std::uint8_t> b;
  Out o(b);
  for (const auto& e : ifs) {
    const bool v6 = e.family == 10;
    const std::size_t alen = v6 ? 16 : 4;
    const std::size_t name_len = std::min<std::size_t>(e.name.size(), 0xffff);
    o.put(static_cast<std::uint32_t>(4 + 3 * alen + 8 + name_len));  // excludes itself
    o.put(v6 ? block::kIfIpv6 : block::kIfIpv4);
    o.put(static_cast<std::uint16_t>(name_len));
    o.bytes(e.addr.data(), alen);
    o.bytes(e.netmask.data(), alen);
    o.bytes(e.bcast.data(), alen);
    o.put(e.linkspeed);
    o.bytes(e.name.data(), name_len);
  }
  return b;
}

std::vector<std::uint8_t> encode_users(const std::vector<UserEntry>& users,
                                       const std::vector<GroupEntry>& groups) {
  std::vector<std::uint8_t> b;
  Out o(b);
  for (const auto& u : users) {
    const auto at = o.begin_sub();
    o.put(std::uint8_t{0});
    o.put(u.uid);
    o.put(u.gid);
    o.str16(u.name);
    o.str16(u.home);
    o.str16(u.shell);
    o.finish_sub(at);
  }
  for (const auto& g : groups) {
    const auto at = o.begin_sub();
    o.put(std::uint8_t{1});
    o.put(g.gid);
    o.str16(g.name);
    o.finish_sub(at);
  }
  return b;
}

void encode_process(Out& o, const ProcessEntry& p) {
  const auto at = o.begin_sub();
  o.put(p.tid);
  o.put(p.pid);
  o.put(p.ptid);
  o.put(p.sid);
  o.put(p.vpgid);
  for (const auto* s : {&p.comm, &p.exe, &p.exepath, &p.args, &p.cwd}) o.str16(*s);
  o.put(p.fdlimit);
  o.put(p.flags);
  o.put(p.uid);
  o.put(p.gid);
  o.put(p.vmsize_kb);
  o.put(p.vmrss_kb);
  o.put(p.vmswap_kb);
  o.put(p.pfmajor);
  o.put(p.pfminor);
  o.str16(p.env);
  o.put(p.vtid);
  o.put(p.vpid);
  o.str16(p.cgroups);
  o.str16(p.root);
  o.put(p.pidns_init_start_ts);
  o.put(p.tty);
  o.put(p.loginuid);
  o.put(static_cast<std::uint8_t>(p.exe_writable));
  o.put(p.cap_inheritable);
  o.put(p.cap_permitted);
  o.put(p.cap_effective);
  o.put(static_cast<std::uint8_t>(p.exe_upper_layer));
  o.put(p.exe_ino);
  o.put(p.exe_ino_ctime);
  o.put(p.exe_ino_mtime);
  o.put(static_cast<std::uint8_t>(p.exe_from_memfd));
  o.finish_sub(at);
}

void encode_fd(Out& o, const FdEntry& f) {
  const auto at = o.begin_sub();
  o.put(f.fd);
  o.put(f.ino);
  o.put(static_cast<std::uint8_t>(f.type));
  const bool v6 = f.type == FdType::kIpv6Sock || f.type == FdType::kIpv6ServSock;
  switch (f.type) {
    case FdType::kIpv4Sock:
    case FdType::kIpv6Sock:
      o.bytes(f.sip.data(), v6 ? 16 : 4);
      o.bytes(f.dip.data(), v6 ? 16 : 4);
      o.put(f.sport);
      o.put(f.dport);
      o.put(f.l4proto);
      break;
    case FdType::kIpv4ServSock:
    case FdType::kIpv6ServSock:
      o.bytes(f.sip.data(), v6 ? 16 : 4);
      o.put(f.sport);
      o.put(f.l4proto);
      break;
    case FdType::kUnixSock:
      o.put(f.unix_src);
      o.put(f.unix_dst);
      o.str16(f.name);
      break;
    case FdType::kFileV2:
      o.put(f.open_flags);
      o.str16(f.name);
      o.put(f.dev);
      break;
    case FdType::kUnknown:
      break;
    default:
      o.str16(f.name);
  }
  o.finish_sub(at);
}

}  // namespace

struct CaptureWriter::Sink {
  std::FILE* file = nullptr;
  gzFile gz = nullptr;
};

CaptureWriter::CaptureWriter(const std::string& path, const WriterOptions& opts)
    : sink_(std::make_unique<Sink>()) {
  if (opts.gzip) {
    sink_->gz = gzopen(path.c_str(), "wb");
  } else {
    sink_->file = std::fopen(path.c_str(), "wb");
  }
  if (!sink_->gz && !sink_->file)
    throw CaptureError("cannot create capture file '" + path + "'", 0);
}

CaptureWriter::~CaptureWriter() {
  try {
    close();
  } catch (...) {
  }
}

void CaptureWriter::close() {
  if (!sink_) return;
  int rc = 0;
  if (sink_->gz) rc = gzclose(sink_->gz) == Z_OK ? 0 : -1;
  if (sink_->file) rc = std::fclose(sink_->file);
  sink_.reset();
  if (rc != 0) throw CaptureError("error closing capture file", written_);
}

void CaptureWriter::write_raw(const void* p, std::size_t n) {
  if (!sink_) throw CaptureError("write to a closed capture writer", written_);
  const bool ok = sink_->gz ? gzwrite(sink_->gz, p, static_cast<unsigned>(n)) == static_cast<int>(n)
                            : std::fwrite(p, 1, n, sink_->file) == n;
  if (!ok && n != 0) throw CaptureError("error writing capture file", written_);
  written_ += n;
}

void CaptureWriter::write_block(std::uint32_t type, const std::vector<std::uint8_t>& body) {
  const std::size_t pad = (4 - body.size() % 4) % 4;
  const std::uint32_t total = static_cast<std::uint32_t>(12 + body.size() + pad);
  const std::uint8_t zeros[4] = {};
  write_raw(&type, 4);
  write_raw(&total, 4);
  write_raw(body.data(), body.size());
  write_raw(zeros, pad);
  write_raw(&total, 4);
}

void CaptureWriter::write_header(const CaptureTables& t) {
  std::vector<std::uint8_t> shb;
  Out o(shb);
  o.put(block::kByteOrderMagic);
  o.put(std::uint16_t{1});   // major
  o.put(std::uint16_t{2});   // minor
  o.put(~std::uint64_t{0});  // section length: unspecified
  write_block(block::kSectionHeader, shb);
  write_block(block::kMachineInfo, encode_machine(t.machine));
  write_block(block::kIfListV2, encode_interfaces(t.interfaces));
  write_block(block::kUserListV2, encode_users(t.users, t.groups));
  std::vector<std::uint8_t> pl;
  Out po(pl);
  for (const auto& p : t.processes) encode_process(po, p);
  write_block(block::kProcListV9, pl);
  for (const auto& p : t.processes) {
    if (p.fds.empty()) continue;
    std::vector<std::uint8_t> fl;
    Out fo(fl);
    fo.put(p.tid);
    for (const auto& f : p.fds) encode_fd(fo, f);
    write_block(block::kFdListV2, fl);
  }
}

void CaptureWriter::write_event(const EventView& ev, std::uint16_t cpu, std::uint32_t flags) {
  const bool large = ev.large_payload();
  const std::uint32_t type = flags ? (large ? block::kEventFlagsV2Large : block::kEventFlagsV2)
                                   : (large ? block::kEventV2Large : block::kEventV2);
  // Written piece by piece, not assembled in a buffer: a live capture writes every event,
  // and the event bytes are already in place.
  const auto raw = ev.raw();
  const std::size_t body = sizeof cpu + (flags ? sizeof flags : 0) + raw.size();
  const std::size_t pad = (4 - body % 4) % 4;
  const std::uint32_t total = static_cast<std::uint32_t>(12 + body + pad);
  const std::uint8_t zeros[4] = {};
  write_raw(&type, 4);
  write_raw(&total, 4);
  write_raw(&cpu, sizeof cpu);
  if (flags) write_raw(&flags, sizeof flags);
  write_raw(raw.data(), raw.size());
  write_raw(zeros, pad);
  write_raw(&total, 4);
}

}  // namespace saker::syscall::scap
