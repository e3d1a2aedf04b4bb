// LiveDriver (see live_driver.h): libbpf set-up of the eBPF driver and the ordered reading
// of its ring buffers.
#include "live_driver.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include "ia32_syscalls.h"
#include "live_syscalls.h"
#include "saker_driver.skel.h"
#include "syscall_names.h"
#include "x86_64_syscalls.h"

namespace saker::syscall {
namespace {

constexpr std::uint32_t kRingBusyBit = 1u << 31;
constexpr std::uint32_t kRingDiscardBit = 1u << 30;
constexpr std::uint32_t kRingHeaderSize = 8;
constexpr std::uint32_t kSpecProgramSlot = SAKER_MAX_SYSCALLS - 1;

// libbpf's messages for the error text of a failed load (the verifier's last lines).
thread_local std::string* g_libbpf_log = nullptr;
int libbpf_print(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG || !g_libbpf_log) return 0;
  va_list copy;
  va_copy(copy, args);
  int n = std::vsnprintf(nullptr, 0, fmt, copy);
  va_end(copy);
  if (n > 0) {
    std::string buf(static_cast<std::size_t>(n) + 1, '\0');
    std::vsnprintf(buf.data(), buf.size(), fmt, args);
    buf.pop_back();
    g_libbpf_log->append(buf);
    if (g_libbpf_log->size() > 65536) g_libbpf_log->erase(0, g_libbpf_log->size() - 65536);
  }
  if (std::getenv("SAKER_BPF_LOG")) std::fputs(g_libbpf_log->c_str(), stderr);
  return 0;
}

std::string tail_lines(const std::string& s, int lines) {
  std::size_t pos = s.size();
  for (int i = 0; i < lines && pos > 0; ++i) {
    pos = s.rfind('\n', pos - 1);
    if (pos == std::string::npos) return s;
  }
  return s.substr(pos + 1);
}

void check_prerequisites() {
  if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
    throw DriverError(
        "the kernel has no BTF (/sys/kernel/btf/vmlinux is missing): the modern_ebpf engine "
        "needs a kernel built with CONFIG_DEBUG_INFO_BTF=y");
  }
  struct utsname u{};
  if (uname(&u) == 0) {
    int major = 0, minor = 0;
    if (std::sscanf(u.release, "%d.%d", &major, &minor) == 2 &&
        (major < 5 || (major == 5 && minor < 17))) {
      throw DriverError(std::string("kernel ") + u.release +
                        " is too old for the modern_ebpf engine (needs 5.17 or later: BTF "
                        "tracepoints, ring buffers, bpf_loop)");
    }
  }
  if (geteuid() != 0) {
    throw DriverError(
        "the modern_ebpf engine must run as root (it loads eBPF programs: CAP_BPF, "
        "CAP_PERFMON and CAP_SYS_RESOURCE, or CAP_SYS_ADMIN); for replay use -e FILE");
  }
}

std::uint32_t round_up_pow2(std::uint64_t v) {
  std::uint64_t p = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  while (p < v && p < (1ull << 30)) p <<= 1;
  return static_cast<std::uint32_t>(p);
}

// How long the reader sleeps between looks at idle rings: the programs do not wake it per
// event (an interrupt and a context switch each), only when a ring is a quarter full.
constexpr int kPollIntervalMs = 2;

struct Ring {
  int fd = -1;
  std::uint32_t size = 0;
  void* consumer_page = nullptr;
  void* producer_area = nullptr;  // producer page + data, mapped once (a wrapping record
                                  // is copied out whole, see peek)
  std::atomic<std::uint64_t>* consumer_pos = nullptr;
  const std::atomic<std::uint64_t>* producer_pos = nullptr;
  const std::uint8_t* data = nullptr;
  std::uint64_t cursor = 0;  // local read position (consumer_pos lags until released)
  const std::uint8_t* head = nullptr;  // the record at cursor once peeked (until consumed)
  std::uint32_t head_len = 0;
  std::uint64_t produced = 0;  // producer position, read once per collect()
};

}  // namespace

std::uint64_t boot_time_epoch_ns() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  auto ns = [](const timespec& t) {
    return static_cast<std::uint64_t>(t.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(t.tv_nsec);
  };
  return ns(real) - ns(boot);
}

struct LiveDriver::Impl {
  saker_driver* skel = nullptr;
  std::vector<bpf_link*> links;
  std::vector<Ring> rings;
  std::deque<std::vector<std::uint8_t>> wrapped;  // copies of wrapping records of this batch
  int epoll_fd = -1;
  std::uint32_t cpus = 0;
  std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));

  ~Impl() {
    for (auto* l : links) bpf_link__destroy(l);
    for (auto& r : rings) {
      if (r.producer_area) munmap(r.producer_area, page + r.size);
      if (r.consumer_page) munmap(r.consumer_page, page);
      if (r.fd >= 0) close(r.fd);
    }
    if (epoll_fd >= 0) close(epoll_fd);
    if (skel) saker_driver__destroy(skel);
  }

  void open_and_load(const LiveDriverOptions& o) {
    std::string log;
    g_libbpf_log = &log;
    libbpf_set_print(libbpf_print);
    struct Reset {
      ~Reset() { g_libbpf_log = nullptr; }
    } reset;

    int ncpus = libbpf_num_possible_cpus();
    if (ncpus <= 0) throw DriverError("cannot count the CPUs: " + std::string(strerror(-ncpus)));
    cpus = static_cast<std::uint32_t>(ncpus);
    const std::uint32_t per = o.cpus_per_buffer == 0 ? cpus : std::min(o.cpus_per_buffer, cpus);
    const std::uint32_t nbuf = (cpus + per - 1) / per;
    const std::uint32_t size = round_up_pow2(std::max<std::uint64_t>(o.buffer_bytes, page));

    skel = saker_driver__open();
    if (!skel) throw DriverError("cannot open the eBPF driver object: " + tail_lines(log, 5));
    auto& cfg = const_cast<saker_driver_config&>(skel->rodata->saker_config);
    cfg.boot_time_ns = boot_time_epoch_ns();
    cfg.target_tgid = o.target_tgid;
    cfg.target_children = o.target_children ? 1 : 0;
    cfg.cpus_per_buffer = per;
    cfg.num_buffers = nbuf;
    cfg.ring_bytes = size;
    cfg.drop_failed = o.drop_failed ? 1 : 0;
    cfg.snaplen = std::min<std::uint32_t>(o.snaplen, SAKER_MAX_PARAM_SIZE);
    cfg.self_tgid = o.trace_self ? 0 : static_cast<std::uint32_t>(getpid());
    bpf_map__set_max_entries(skel->maps.scratch, cpus);
    bpf_map__set_max_entries(skel->maps.counters, cpus);
    bpf_map__set_max_entries(skel->maps.ringbufs, nbuf);

    rings.resize(nbuf);
    for (auto& r : rings) {
      r.size = size;
      r.fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "saker_ring", 0, 0, size, nullptr);
      if (r.fd < 0) {
        int e = errno;
        throw DriverError("cannot create a " + std::to_string(size >> 20) +
                          " MiB ring buffer: " + strerror(e) +
                          (e == EPERM ? " (not root, or memory locking refused)" : ""));
      }
    }
    bpf_map__set_inner_map_fd(skel->maps.ringbufs, rings[0].fd);

    if (int err = saker_driver__load(skel); err != 0) {
      std::string msg = "the kernel refused the eBPF driver (" + std::string(strerror(-err)) + ")";
      if (err == -EPERM) msg += ": run as root";
      throw DriverError(msg + "\n" + tail_lines(log, 12));
    }
    int outer = bpf_map__fd(skel->maps.ringbufs);
    for (std::uint32_t i = 0; i < nbuf; ++i) {
      if (bpf_map_update_elem(outer, &i, &rings[i].fd, BPF_ANY) != 0) {
        throw DriverError("cannot install ring buffer " + std::to_string(i) + ": " + strerror(errno));
      }
    }
    fill_program_table();
  }

  void fill_program_table() {
    int progs = bpf_map__fd(skel->maps.exit_programs);
    int specs = bpf_map__fd(skel->maps.syscall_specs);
    for (const auto& sc : live_syscalls()) {
      auto nr = x86_64_syscall_nr(sc.name);
      if (!nr) continue;
      if (!sc.program.empty()) {
        std::string pname(sc.program);
        bpf_program* p = bpf_object__find_program_by_name(skel->obj, pname.c_str());
        if (!p) throw DriverError("the eBPF driver has no program " + pname);
        int fd = bpf_program__fd(p);
        bpf_map_update_elem(progs, &*nr, &fd, BPF_ANY);
        continue;
      }
      saker_syscall_spec spec{};
      spec.event_type = sc.event_type;
      spec.nparams = static_cast<std::uint8_t>(std::min<std::size_t>(sc.params.size(), SAKER_SPEC_MAX_PARAMS));
      for (std::size_t i = 0; i < spec.nparams; ++i) {
        spec.kind[i] = sc.params[i].kind;
        spec.arg[i] = sc.params[i].arg;
      }
      bpf_map_update_elem(specs, &*nr, &spec, BPF_ANY);
    }
    int ia32 = bpf_map__fd(skel->maps.ia32_syscalls);
    for (std::uint32_t nr = 0; nr < SAKER_MAX_SYSCALLS; ++nr) {
      std::uint32_t x64 = ia32_to_x86_64(nr).value_or(SAKER_NO_SYSCALL);
      bpf_map_update_elem(ia32, &nr, &x64, BPF_ANY);
    }
    int spec_fd = bpf_program__fd(skel->progs.saker_spec_exit);
    bpf_map_update_elem(progs, &kSpecProgramSlot, &spec_fd, BPF_ANY);
  }

  void attach() {
    for (bpf_program* p : {skel->progs.saker_sys_exit, skel->progs.saker_sched_process_exit}) {
      bpf_link* l = bpf_program__attach(p);
      if (!l) {
        throw DriverError(std::string("cannot attach ") + bpf_program__name(p) + ": " +
                          strerror(errno));
      }
      links.push_back(l);
    }
  }

  void map_rings() {
    epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd < 0) throw DriverError(std::string("epoll_create1: ") + strerror(errno));
    for (std::size_t i = 0; i < rings.size(); ++i) {
      Ring& r = rings[i];
      r.consumer_page = mmap(nullptr, page, PROT_READ | PROT_WRITE, MAP_SHARED, r.fd, 0);
      if (r.consumer_page == MAP_FAILED) {
        r.consumer_page = nullptr;
        throw DriverError(std::string("cannot map a ring buffer: ") + strerror(errno));
      }
      r.producer_area = mmap(nullptr, page + r.size, PROT_READ, MAP_SHARED, r.fd,
                             static_cast<off_t>(page));
      if (r.producer_area == MAP_FAILED) {
        r.producer_area = nullptr;
        throw DriverError(std::string("cannot map a ring buffer: ") + strerror(errno));
      }
      r.consumer_pos = static_cast<std::atomic<std::uint64_t>*>(r.consumer_page);
      r.producer_pos = static_cast<const std::atomic<std::uint64_t>*>(r.producer_area);
      r.data = static_cast<const std::uint8_t*>(r.producer_area) + page;
      r.cursor = r.consumer_pos->load(std::memory_order_acquire);
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u32 = static_cast<std::uint32_t>(i);
      if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, r.fd, &ev) != 0) {
        throw DriverError(std::string("epoll_ctl on a ring buffer: ") + strerror(errno));
      }
    }
  }

  // The next complete record of `r` without consuming it; skips discarded ones.
  const std::uint8_t* peek(Ring& r, std::uint32_t& len) {
    if (r.head) {
      len = r.head_len;
      return r.head;
    }
    const std::uint8_t* rec = peek_ring(r, len);
    r.head = rec;
    r.head_len = len;
    return rec;
  }

  const std::uint8_t* peek_ring(Ring& r, std::uint32_t& len) {
    while (r.cursor < r.produced) {
      const auto* hdr = reinterpret_cast<const std::atomic<std::uint32_t>*>(
          r.data + (r.cursor & (r.size - 1)));
      const std::uint32_t h = hdr->load(std::memory_order_acquire);
      if (h & kRingBusyBit) return nullptr;
      const std::uint32_t rec_len = h & ~(kRingBusyBit | kRingDiscardBit);
      if (h & kRingDiscardBit) {
        r.cursor += (rec_len + kRingHeaderSize + 7) & ~7u;
        continue;
      }
      len = rec_len;
      const std::uint64_t start = (r.cursor + kRingHeaderSize) & (r.size - 1);
      if (start + rec_len <= r.size) return r.data + start;
      // The record wraps past the end of the mapping: copy it out whole (rare); the copy
      // lives until release(), like a view would.
      auto& copy = wrapped.emplace_back(rec_len);
      const std::size_t head = r.size - start;
      std::memcpy(copy.data(), r.data + start, head);
      std::memcpy(copy.data() + head, r.data, rec_len - head);
      return copy.data();
    }
    return nullptr;
  }

  void release() {
    for (auto& r : rings) {
      r.consumer_pos->store(r.cursor, std::memory_order_release);
      r.head = nullptr;
    }
    wrapped.clear();
  }

  std::size_t collect(std::vector<RingRecord>& out, std::size_t max) {
    std::size_t n = 0;
    const std::size_t k = rings.size();
    // One acquire load per ring and call: records published after it wait for the next.
    for (auto& r : rings) r.produced = r.producer_pos->load(std::memory_order_acquire);
    while (n < max) {
      std::size_t best = k;
      std::uint64_t best_ts = UINT64_MAX;
      const std::uint8_t* best_rec = nullptr;
      std::uint32_t best_len = 0;
      for (std::size_t i = 0; i < k; ++i) {
        std::uint32_t len = 0;
        const std::uint8_t* rec = peek(rings[i], len);
        if (!rec) continue;
        std::uint64_t ts = 0;
        if (len >= 8) std::memcpy(&ts, rec, 8);
        if (ts < best_ts) {
          best = i;
          best_ts = ts;
          best_rec = rec;
          best_len = len;
        }
        if (k == 1) break;
      }
      if (best == k) break;
      out.push_back({best_rec, best_len});
      rings[best].cursor += (best_len + kRingHeaderSize + 7) & ~7u;
      rings[best].head = nullptr;
      ++n;
    }
    return n;
  }
};

LiveDriver::LiveDriver(const LiveDriverOptions& opts) : impl_(std::make_unique<Impl>()) {
  check_prerequisites();
  impl_->open_and_load(opts);
  impl_->map_rings();
  impl_->attach();
}

LiveDriver::~LiveDriver() = default;

void LiveDriver::set_syscalls(const std::vector<std::uint32_t>& nrs) {
  int actions = bpf_map__fd(impl_->skel->maps.syscall_actions);
  std::vector<bool> wanted(SAKER_MAX_SYSCALLS, false);
  for (auto nr : nrs) {
    if (nr < SAKER_MAX_SYSCALLS) wanted[nr] = true;
  }
  for (std::uint32_t nr = 0; nr < SAKER_MAX_SYSCALLS; ++nr) {
    saker_syscall_action_entry e{};
    if (wanted[nr] && nr != kSpecProgramSlot) {
      const LiveSyscall* sc = find_live_syscall(x86_64_syscall_name(nr));
      if (sc) {
        e.action = sc->program.empty() ? SAKER_SC_SPEC : SAKER_SC_PROGRAM;
        e.drop_category = sc->drop_category;
      } else {
        e.action = SAKER_SC_GENERIC;
        e.drop_category = SAKER_DROP_BUFFER_OTHER;
      }
      e.ppm_sc = scap::syscall_code_of(x86_64_syscall_name(nr));
    }
    bpf_map_update_elem(actions, &nr, &e, BPF_ANY);
  }
}

std::size_t LiveDriver::next(std::vector<RingRecord>& out, std::size_t max, int timeout_ms) {
  impl_->release();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (std::size_t n = impl_->collect(out, max)) return n;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return 0;
    epoll_event evs[8];
    epoll_wait(impl_->epoll_fd, evs, 8, static_cast<int>(std::min<long>(left, kPollIntervalMs)));
  }
}

DriverCounters LiveDriver::counters() const {
  DriverCounters c;
  int fd = bpf_map__fd(impl_->skel->maps.counters);
  for (std::uint32_t cpu = 0; cpu < impl_->cpus; ++cpu) {
    saker_counters v{};
    if (bpf_map_lookup_elem(fd, &cpu, &v) != 0) continue;
    c.events += v.events;
    for (int i = 0; i < SAKER_DROP_CATEGORIES; ++i) c.drops[i] += v.drops[i];
    c.truncated += v.truncated;
  }
  return c;
}

std::uint32_t LiveDriver::num_buffers() const { return static_cast<std::uint32_t>(impl_->rings.size()); }
std::uint32_t LiveDriver::num_cpus() const { return impl_->cpus; }

}  // namespace saker::syscall
