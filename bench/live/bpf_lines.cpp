// bpf_lines: where the time of loaded eBPF programs goes, per source line.
//
//   bpf_lines PROG_ID... < samples            (samples: `perf script -F ip,sym` output)
//
// Without libbfd (Debian's bpftool and perf lack it) neither `bpftool prog dump jited` nor
// `perf annotate` can show a JITed program. The kernel still keeps, for a program loaded
// with BTF, the address of the JITed code of each source line (jited_line_info, with
// line_info naming the line in the BTF string table). This maps every sampled instruction
// address inside the given programs to the source line whose code it lies in, and prints
// the lines by share of all samples (and, with SAKER_NS_PER_OP=N, in ns per operation of
// a workload that took N ns per operation). bench/bpf_line_profile.sh drives it.
// Needs root (CAP_SYS_ADMIN) to read program info.
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <linux/bpf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Line {
  std::uint64_t addr;
  std::string where;  // file:line
  std::string text;   // the source line
};

// The JITed address and source of every line of program `id` (appended to `out`).
bool program_lines(std::uint32_t id, std::vector<Line>& out) {
  const int fd = bpf_prog_get_fd_by_id(id);
  if (fd < 0) {
    std::fprintf(stderr, "bpf_lines: program %u: cannot open it (root?)\n", id);
    return false;
  }
  bpf_prog_info info{};
  std::uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0 || info.nr_jited_line_info == 0) {
    std::fprintf(stderr, "bpf_lines: program %u: no line info (loaded without BTF?)\n", id);
    close(fd);
    return false;
  }
  const std::uint32_t n = std::min(info.nr_line_info, info.nr_jited_line_info);
  const std::uint32_t rec = info.line_info_rec_size, jrec = info.jited_line_info_rec_size;
  const std::uint32_t btf_id = info.btf_id;
  std::vector<std::uint8_t> lines(std::size_t{n} * rec);
  std::vector<std::uint8_t> addrs(std::size_t{n} * jrec);
  info = {};
  info.nr_line_info = n;
  info.line_info_rec_size = rec;
  info.line_info = reinterpret_cast<std::uintptr_t>(lines.data());
  info.nr_jited_line_info = n;
  info.jited_line_info_rec_size = jrec;
  info.jited_line_info = reinterpret_cast<std::uintptr_t>(addrs.data());
  len = sizeof(info);
  const int rc = bpf_obj_get_info_by_fd(fd, &info, &len);
  close(fd);
  if (rc != 0) return false;
  btf* b = btf__load_from_kernel_by_id(btf_id);
  for (std::uint32_t i = 0; i < n; ++i) {
    const auto* l = reinterpret_cast<const bpf_line_info*>(lines.data() + std::size_t{i} * rec);
    std::uint64_t addr = 0;
    std::copy_n(addrs.data() + std::size_t{i} * jrec, sizeof(addr), reinterpret_cast<std::uint8_t*>(&addr));
    std::string file = b ? btf__name_by_offset(b, l->file_name_off) : "?";
    file = file.substr(file.find_last_of('/') + 1);
    std::string text = b ? btf__name_by_offset(b, l->line_off) : "";
    text.erase(0, text.find_first_not_of(" \t"));
    out.push_back({addr, file + ":" + std::to_string(BPF_LINE_INFO_LINE_NUM(l->line_col)),
                   text.substr(0, 100)});
  }
  btf__free(b);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bpf_lines PROG_ID... < perf-script-output (-F ip,sym)\n");
    return 2;
  }
  std::vector<Line> lines;
  for (int i = 1; i < argc; ++i) program_lines(static_cast<std::uint32_t>(std::strtoul(argv[i], nullptr, 10)), lines);
  if (lines.empty()) return 1;
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) { return a.addr < b.addr; });

  std::uint64_t total = 0;
  std::map<std::string, std::uint64_t> by_symbol;
  // (program, index in `lines` of the first entry of its source line)
  std::map<std::pair<std::string, std::size_t>, std::uint64_t> by_line;
  std::map<std::string, std::size_t> first_of;  // file:line -> its first entry in `lines`
  for (std::size_t i = 0; i < lines.size(); ++i) first_of.emplace(lines[i].where, i);
  std::string text;
  while (std::getline(std::cin, text)) {
    std::istringstream in(text);
    std::string ip_text, sym;
    if (!(in >> ip_text >> sym)) continue;
    ++total;
    by_symbol[sym]++;
    if (sym.rfind("bpf_prog_", 0) != 0) continue;
    const std::uint64_t ip = std::strtoull(ip_text.c_str(), nullptr, 16);
    auto it = std::upper_bound(lines.begin(), lines.end(), ip,
                               [](std::uint64_t v, const Line& l) { return v < l.addr; });
    if (it == lines.begin()) continue;
    // bpf_prog_<tag>_<name>: the program (or subprogram) name
    const std::size_t cut = sym.find('_', 9);
    by_line[{cut == std::string::npos ? sym : sym.substr(cut + 1),
             first_of[std::prev(it)->where]}]++;
  }
  if (total == 0) {
    std::fprintf(stderr, "bpf_lines: no samples on stdin\n");
    return 1;
  }
  const char* per_op = std::getenv("SAKER_NS_PER_OP");
  const double scale = per_op ? std::atof(per_op) : 100.0;
  const char* unit = per_op ? "ns/op" : "%";
  auto sorted = [](const auto& m) {
    std::vector<std::pair<std::uint64_t, typename std::decay_t<decltype(m)>::key_type>> v;
    for (const auto& [k, c] : m) v.push_back({c, k});
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    return v;
  };
  std::printf("%llu samples\n\nsymbols (%s)\n", static_cast<unsigned long long>(total), unit);
  int shown = 0;
  for (const auto& [c, sym] : sorted(by_symbol)) {
    if (++shown > 30) break;
    std::printf("%9.2f  %s\n", scale * static_cast<double>(c) / static_cast<double>(total), sym.c_str());
  }
  std::printf("\neBPF source lines (%s)\n", unit);
  shown = 0;
  for (const auto& [c, key] : sorted(by_line)) {
    if (++shown > 60) break;
    const Line& l = lines[key.second];
    std::printf("%9.2f  %-22s %-18s %s\n", scale * static_cast<double>(c) / static_cast<double>(total),
                key.first.substr(0, 22).c_str(), l.where.c_str(), l.text.c_str());
  }
  return 0;
}
