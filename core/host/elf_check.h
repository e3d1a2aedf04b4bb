// A plugin library is checked before dlopen: a truncated or corrupt file (a copy cut
// short, a download interrupted, a file that is no shared object) would otherwise crash
// saker inside the dynamic loader (SIGBUS when a mapped segment lies beyond the end of the
// file). The check reads only the ELF header and the program and section header tables.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace saker::core {

// Why `path` cannot be a loadable shared object for this host, or nullopt when its ELF
// header, machine and every segment and table lie inside the file.
std::optional<std::string> check_shared_object(const std::filesystem::path& path);

}  // namespace saker::core
