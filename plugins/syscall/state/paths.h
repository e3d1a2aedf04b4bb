// Path arithmetic as Falco does it: join a relative path to a base directory and
// normalise "." and ".." components and repeated slashes (without touching the disk).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace saker::syscall {

// `path` if absolute, else base + "/" + path; normalised. Empty path gives "".
std::string resolve_path(std::string_view base, std::string_view path);
// The same into `out` (its buffer reused: no allocation once it is large enough).
void resolve_path_into(std::string_view base, std::string_view path, std::string& out);
// Normalise an absolute path ("/a/./b/../c//" -> "/a/c").
std::string normalize_path(std::string_view path);
// Directory and last component of a path ("/a/b" -> "/a", "b"; "/a" -> "/", "a").
std::string_view path_dirname(std::string_view path);
std::string_view path_basename(std::string_view path);

// An open's name parameter as saker's live driver writes it when the open succeeded:
// "KERNEL_PATH\0RAW\0", the path of the file the kernel opened, then the argument as the
// caller gave it. The raw argument (the text after the first NUL, up to the next), or ""
// when the parameter holds one string (a failed open, a capture of another recorder).
std::string_view raw_after_path(std::span<const std::uint8_t> param);

}  // namespace saker::syscall
