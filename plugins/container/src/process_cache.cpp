// Thread -> container cache (see process_cache.h).
#include "process_cache.h"

#include <fcntl.h>
#include <unistd.h>

namespace saker::container {

const ContainerKey& ProcessCache::host_key() {
  static const ContainerKey kHost{"", "host", "host"};
  return kHost;
}

std::shared_ptr<const ContainerKey> ProcessCache::intern(const CgroupMatch& m) {
  auto it = keys_.find(m.id);
  if (it != keys_.end() && it->second->type == m.type) return it->second;
  // Forget keys no thread uses any more before the map grows past the threads' count.
  if (keys_.size() >= 1024 && keys_.size() > threads_.size()) {
    for (auto k = keys_.begin(); k != keys_.end();) {
      k = k->second.use_count() == 1 ? keys_.erase(k) : std::next(k);
    }
  }
  auto key = std::make_shared<const ContainerKey>(
      ContainerKey{m.id, m.id.substr(0, 12), m.type.empty() ? "unknown" : m.type});
  keys_[m.id] = key;
  return key;
}

std::shared_ptr<const ContainerKey> ProcessCache::key_for(const CgroupMatch& m) {
  // The host key is static: an aliasing shared_ptr that owns nothing.
  static const std::shared_ptr<const ContainerKey> kHost(std::shared_ptr<void>(), &host_key());
  return m.in_container() ? intern(m) : kHost;
}

std::shared_ptr<const ContainerKey> ProcessCache::assign(int64_t tid, const CgroupMatch& m) {
  auto it = threads_.find(tid);
  if (it == threads_.end() && threads_.size() >= max_threads_) {
    threads_.clear();
    ++resets_;
  }
  auto key = key_for(m);
  threads_[tid] = key;
  return key;
}

std::string read_proc_cgroup(int64_t tid, const std::string& proc_root) {
  if (tid <= 0) return {};
  const std::string path = proc_root + "/" + std::to_string(tid) + "/cgroup";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return {};
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0 || out.size() > (64u << 10)) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace saker::container
