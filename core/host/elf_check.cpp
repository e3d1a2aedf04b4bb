// Plugin library checks before dlopen (see elf_check.h).
#include "elf_check.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace saker::core {
namespace {

#if defined(__x86_64__)
constexpr std::uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr std::uint16_t kHostMachine = EM_AARCH64;
#else
constexpr std::uint16_t kHostMachine = EM_NONE;  // not checked
#endif

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

bool read_at(int fd, void* buf, std::size_t n, std::uint64_t off) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = pread(fd, p, n, static_cast<off_t>(off));
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
    off += static_cast<std::uint64_t>(r);
  }
  return true;
}

// end <= size without overflow
bool inside(std::uint64_t off, std::uint64_t len, std::uint64_t size) {
  return off <= size && len <= size - off;
}

}  // namespace

std::optional<std::string> check_shared_object(const std::filesystem::path& path) {
  Fd f{open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK)};
  if (f.fd < 0) return std::string("cannot open: ") + std::strerror(errno);
  struct stat st {};
  if (fstat(f.fd, &st) != 0) return std::string("cannot stat: ") + std::strerror(errno);
  if (!S_ISREG(st.st_mode)) return std::string("not a regular file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  Elf64_Ehdr eh{};
  if (size < sizeof eh || !read_at(f.fd, &eh, sizeof eh, 0)) {
    return "not an ELF shared object (file of " + std::to_string(size) + " bytes is too short)";
  }
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return std::string("not an ELF file");
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    return std::string("not a 64-bit little-endian ELF file");
  }
  if (eh.e_type != ET_DYN) return std::string("not a shared object (ELF type ") +
                                  std::to_string(eh.e_type) + ")";
  if (kHostMachine != EM_NONE && eh.e_machine != kHostMachine) {
    return "built for another machine (ELF machine " + std::to_string(eh.e_machine) + ")";
  }
  if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 ||
      !inside(eh.e_phoff, std::uint64_t{eh.e_phnum} * sizeof(Elf64_Phdr), size)) {
    return "truncated or corrupt: the program headers lie outside the file (" +
           std::to_string(size) + " bytes)";
  }
  std::vector<Elf64_Phdr> ph(eh.e_phnum);
  if (!read_at(f.fd, ph.data(), ph.size() * sizeof(Elf64_Phdr), eh.e_phoff)) {
    return std::string("cannot read the program headers");
  }
  for (const auto& p : ph) {
    if ((p.p_type == PT_LOAD || p.p_type == PT_DYNAMIC) && !inside(p.p_offset, p.p_filesz, size)) {
      return "truncated: a segment ends at byte " + std::to_string(p.p_offset + p.p_filesz) +
             " of a " + std::to_string(size) + "-byte file";
    }
  }
  if (eh.e_shnum > 0 && (eh.e_shentsize != sizeof(Elf64_Shdr) ||
                         !inside(eh.e_shoff, std::uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr), size))) {
    return "truncated: the section headers lie outside the " + std::to_string(size) +
           "-byte file";
  }
  return std::nullopt;
}

}  // namespace saker::core
