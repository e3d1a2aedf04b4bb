// LiveDriver (see live_driver.h): libbpf set-up of the eBPF driver and the ordered reading
// of its ring buffers.
#include "live_driver.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
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

constexpr std::uint32_t kRingHeaderSize = SAKER_RING_HEADER_SIZE;
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

// How long the reader sleeps between looks at the rings: the programs never wake it (see
// bpf/helpers/ring.h); at the highest event rates a ring of the smallest size takes tens
// of milliseconds to fill. While the rings stay empty the sleep doubles, up to what a
// burst of kBurstBytesPerMs takes to fill half a ring (at most kMaxIdleSleepMs), and it is
// back at kPollIntervalMs as soon as events come: an idle host no longer wakes saker 500
// times a second.
constexpr int kPollIntervalMs = 2;
constexpr int kMaxIdleSleepMs = 16;
constexpr std::uint64_t kBurstBytesPerMs = 64 << 10;  // 64 MB/s, beyond the (b) rate here

int max_idle_sleep_ms(std::uint64_t ring_bytes) {
  const std::uint64_t ms = ring_bytes / 2 / kBurstBytesPerMs;
  return static_cast<int>(std::clamp<std::uint64_t>(ms, kPollIntervalMs, kMaxIdleSleepMs));
}
constexpr std::uint64_t kPrefetchAhead = 768;

// One event ring (layout in bpf/driver_shared.h), read through the mapped maps.
struct Ring {
  saker_ring_ctl* ctl = nullptr;
  std::uint8_t* chunks = nullptr;  // the ring's first chunk; chunk k at k * stride
  std::size_t stride = 0;          // bytes between chunks (chunk + spare, rounded to 8)
  std::uint32_t nchunks = 0;
  std::uint64_t cursor = 0;        // local read position (tail lags until released)
  const std::uint8_t* head = nullptr;  // the record at cursor once peeked (until consumed)
  std::uint32_t head_len = 0;
  std::uint64_t produced = 0;      // reserved position, read once per collect()
  std::chrono::steady_clock::time_point waiting_since{};  // the record at cursor unfinished

  std::uint8_t* at(std::uint64_t pos) const {
    return chunks + ((pos >> SAKER_RING_CHUNK_SHIFT) & (nchunks - 1)) * stride +
           (pos & (SAKER_RING_CHUNK - 1));
  }
  std::atomic<std::uint64_t>& head_pos() const {
    return *reinterpret_cast<std::atomic<std::uint64_t>*>(&ctl->head);
  }
  std::atomic<std::uint64_t>& tail_pos() const {
    return *reinterpret_cast<std::atomic<std::uint64_t>*>(&ctl->tail);
  }
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
  void* ctl_area = nullptr;  // ring_ctl, mapped
  std::size_t ctl_bytes = 0;
  void* data_area = nullptr;  // ring_data, mapped
  std::size_t data_bytes = 0;
  std::uint32_t secret = 0;  // saker_config.ring_secret
  std::uint64_t ring_resyncs = 0;  // records given up on (see peek)
  std::uint32_t cpus = 0;
  std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  int sleep_ms = kPollIntervalMs;  // the next sleep between looks (see kPollIntervalMs)
  int max_sleep_ms = kPollIntervalMs;

  ~Impl() {
    for (auto* l : links) bpf_link__destroy(l);
    if (data_area) munmap(data_area, data_bytes);
    if (ctl_area) munmap(ctl_area, ctl_bytes);
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
    const std::uint32_t size =
        round_up_pow2(std::max<std::uint64_t>(o.buffer_bytes, SAKER_RING_CHUNK));
    const std::uint32_t nchunks = size >> SAKER_RING_CHUNK_SHIFT;

    skel = saker_driver__open();
    if (!skel) throw DriverError("cannot open the eBPF driver object: " + tail_lines(log, 5));
    auto& cfg = const_cast<saker_driver_config&>(skel->rodata->saker_config);
    cfg.boot_time_ns = boot_time_epoch_ns();
    cfg.target_tgid = o.target_tgid;
    cfg.target_children = o.target_children ? 1 : 0;
    cfg.ring_bytes = size;
    max_sleep_ms = max_idle_sleep_ms(size);
    cfg.ring_chunks = nchunks;
    cfg.num_rings = nbuf;
    if (getrandom(&secret, sizeof(secret), 0) != sizeof(secret)) {
      secret = static_cast<std::uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    cfg.ring_secret = secret;
    cfg.drop_failed = o.drop_failed ? 1 : 0;
    cfg.raw_open_path = o.raw_open_path ? 1 : 0;
    cfg.snaplen = std::min<std::uint32_t>(o.snaplen, SAKER_MAX_PARAM_SIZE);
    cfg.self_tgid = o.trace_self ? 0 : static_cast<std::uint32_t>(getpid());
    bpf_map__set_max_entries(skel->maps.scratch, cpus);
    bpf_map__set_max_entries(skel->maps.counters, cpus);
    bpf_map__set_max_entries(skel->maps.cpu_rings, cpus);
    bpf_map__set_max_entries(skel->maps.ring_ctl, nbuf);
    bpf_map__set_max_entries(skel->maps.ring_data, nbuf * nchunks);
    rings.resize(nbuf);
    for (auto& r : rings) r.nchunks = nchunks;

    if (int err = saker_driver__load(skel); err != 0) {
      std::string msg = "the kernel refused the eBPF driver (" + std::string(strerror(-err)) + ")";
      if (err == -EPERM) msg += ": run as root";
      if (err == -ENOMEM || err == -E2BIG)
        msg += ": " + std::to_string(nbuf) + " rings of " + std::to_string(size >> 20) +
               " MiB (engine.modern_ebpf.buf_size_preset)";
      throw DriverError(msg + "\n" + tail_lines(log, 12));
    }
    fill_program_table();
    int rings = bpf_map__fd(skel->maps.cpu_rings);
    for (std::uint32_t cpu = 0; cpu < cpus; ++cpu) {
      const std::uint32_t ring = cpu / per;
      bpf_map_update_elem(rings, &cpu, &ring, BPF_ANY);
    }
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

  // Maps both ring maps (BPF_F_MMAPABLE arrays: values page-aligned, 8-byte stride).
  void map_rings() {
    auto map = [](bpf_map* m, std::size_t bytes) {
      void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(m), 0);
      if (p == MAP_FAILED) {
        throw DriverError(std::string("cannot map the event rings: ") + strerror(errno));
      }
      return p;
    };
    auto round_page = [this](std::size_t n) { return (n + page - 1) / page * page; };
    const std::size_t stride = (std::size_t{SAKER_RING_CHUNK} + SAKER_RING_CHUNK_SPARE + 7) & ~std::size_t{7};
    ctl_bytes = round_page(sizeof(saker_ring_ctl) * rings.size());
    data_bytes = round_page(stride * rings.size() * rings[0].nchunks);
    ctl_area = map(skel->maps.ring_ctl, ctl_bytes);
    data_area = map(skel->maps.ring_data, data_bytes);
    for (std::size_t i = 0; i < rings.size(); ++i) {
      Ring& r = rings[i];
      r.ctl = static_cast<saker_ring_ctl*>(ctl_area) + i;
      r.stride = stride;
      r.chunks = static_cast<std::uint8_t*>(data_area) + i * r.nchunks * stride;
      r.cursor = r.tail_pos().load(std::memory_order_acquire);
    }
  }

  // The next complete record of `r` without consuming it; steps over padding. A header
  // without its position's tag is a record still being written: wait for it, but not
  // forever (a program always finishes its record within microseconds; a header still
  // wrong after a second is a driver bug, and blinding saker would be worse than skipping).
  const std::uint8_t* peek(Ring& r, std::uint32_t& len) {
    if (r.head) {
      len = r.head_len;
      return r.head;
    }
    while (r.cursor < r.produced) {
      const std::uint8_t* rec = r.at(r.cursor);
      // The records were just written by another CPU: each header is a cache miss unless
      // asked for ahead (a few records on; never past what is reserved, which the
      // producers may still be writing).
      if (r.cursor + kPrefetchAhead + 64 < r.produced) {
        __builtin_prefetch(r.at(r.cursor + kPrefetchAhead));
        __builtin_prefetch(r.at(r.cursor + kPrefetchAhead + 64));
      }
      const std::uint64_t h =
          reinterpret_cast<const std::atomic<std::uint64_t>*>(rec)->load(std::memory_order_acquire);
      const auto tag = static_cast<std::uint32_t>(r.cursor >> SAKER_RING_CHUNK_SHIFT) ^ secret;
      const auto rec_len = static_cast<std::uint32_t>(h) & ~SAKER_RING_PAD_BIT;
      if (static_cast<std::uint32_t>(h >> 32) != tag ||
          (r.cursor & (SAKER_RING_CHUNK - 1)) + kRingHeaderSize + rec_len > SAKER_RING_CHUNK) {
        if (!stalled(r)) return nullptr;
        ++ring_resyncs;
        r.cursor = r.produced;
        return nullptr;
      }
      r.waiting_since = {};
      if (!(h & SAKER_RING_PAD_BIT)) {
        r.head = rec + kRingHeaderSize;
        r.head_len = len = rec_len;
        return r.head;
      }
      r.cursor += kRingHeaderSize + ((rec_len + 7ull) & ~7ull);
    }
    return nullptr;
  }

  // Whether the record at r.cursor has been "being written" for over a second.
  static bool stalled(Ring& r) {
    const auto now = std::chrono::steady_clock::now();
    if (r.waiting_since == std::chrono::steady_clock::time_point{}) {
      r.waiting_since = now;
      return false;
    }
    return now - r.waiting_since > std::chrono::seconds(1);
  }

  void release() {
    for (auto& r : rings) {
      if (r.cursor != r.tail_pos().load(std::memory_order_relaxed)) {
        r.tail_pos().store(r.cursor, std::memory_order_release);
      }
      r.head = nullptr;
    }
  }

  std::size_t collect(std::vector<RingRecord>& out, std::size_t max) {
    std::size_t n = 0;
    const std::size_t k = rings.size();
    // One acquire load per ring and call: records published after it wait for the next.
    for (auto& r : rings) r.produced = r.head_pos().load(std::memory_order_acquire);
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
      rings[best].cursor += kRingHeaderSize + ((best_len + 7ull) & ~7ull);
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
  std::vector<bool> sent(SAKER_MAX_SYSCALLS, false);  // the action table's entries not SKIP
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
    sent[nr] = e.action != SAKER_SC_SKIP;
  }
  // The dispatcher's first filter (bpf/driver_shared.h): the numbers sent and the i386
  // numbers that stand for them. A program that still sees an old bit falls through to the
  // action table, which is already up to date.
  saker_wanted_syscalls set{};
  for (std::uint32_t nr = 0; nr < SAKER_MAX_SYSCALLS; ++nr) {
    const auto x64 = ia32_to_x86_64(nr);
    if (sent[nr] || (x64 && *x64 < SAKER_MAX_SYSCALLS && sent[*x64])) {
      set.bits[nr / 64] |= std::uint64_t{1} << (nr % 64);
    }
  }
  auto* live = const_cast<std::uint64_t*>(impl_->skel->bss->saker_wanted.bits);
  for (std::size_t i = 0; i < std::size(set.bits); ++i) {
    __atomic_store_n(&live[i], set.bits[i], __ATOMIC_RELEASE);
  }
}

std::size_t LiveDriver::next(std::vector<RingRecord>& out, std::size_t max, int timeout_ms) {
  impl_->release();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (std::size_t n = impl_->collect(out, max)) {
      impl_->sleep_ms = kPollIntervalMs;
      return n;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return 0;
    poll(nullptr, 0, static_cast<int>(std::min<long>(left, impl_->sleep_ms)));
    impl_->sleep_ms = std::min(impl_->sleep_ms * 2, impl_->max_sleep_ms);
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
  c.ring_resyncs = impl_->ring_resyncs;
  return c;
}

std::uint32_t LiveDriver::num_buffers() const { return static_cast<std::uint32_t>(impl_->rings.size()); }
std::uint32_t LiveDriver::num_cpus() const { return impl_->cpus; }

}  // namespace saker::syscall
