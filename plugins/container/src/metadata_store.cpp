// The shared container map (see metadata_store.h).
#include "metadata_store.h"

namespace saker::container {

std::shared_ptr<const ContainerInfo> MetadataStore::find(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = map_.find(id);
  return it == map_.end() ? nullptr : it->second.info;
}

bool MetadataStore::note_seen(const CgroupMatch& m, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = map_.find(m.id);
  if (it == map_.end()) {
    make_room();
    auto info = std::make_shared<ContainerInfo>();
    info->id = m.id;
    info->type = m.type;
    Entry e;
    e.info = std::move(info);
    e.last_used_ms = now_ms;
    e.lookup_pending = true;
    map_.emplace(m.id, std::move(e));
    return true;
  }
  Entry& e = it->second;
  e.last_used_ms = now_ms;
  if (e.info->has_metadata || e.lookup_pending || now_ms < e.retry_at_ms) return false;
  e.lookup_pending = true;
  return true;
}

void MetadataStore::publish(ContainerInfo info) {
  std::lock_guard lock(mu_);
  auto it = map_.find(info.id);
  if (it == map_.end()) {
    make_room();
    it = map_.emplace(info.id, Entry{}).first;
  } else if (info.type.empty()) {
    info.type = it->second.info->type;
  }
  Entry& e = it->second;
  e.info = std::make_shared<const ContainerInfo>(std::move(info));
  e.lookup_pending = false;
  e.exited_at_ms = 0;
}

void MetadataStore::lookup_failed(const std::string& id, uint64_t retry_at_ms) {
  std::lock_guard lock(mu_);
  auto it = map_.find(id);
  if (it == map_.end()) return;
  it->second.lookup_pending = false;
  it->second.retry_at_ms = retry_at_ms;
}

void MetadataStore::mark_exited(const std::string& id, uint64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = map_.find(id);
  if (it != map_.end() && it->second.exited_at_ms == 0) it->second.exited_at_ms = now_ms;
}

size_t MetadataStore::sweep(uint64_t now_ms, uint64_t grace_ms) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (auto it = map_.begin(); it != map_.end();) {
    const uint64_t ex = it->second.exited_at_ms;
    if (ex != 0 && now_ms >= ex + grace_ms) {
      it = map_.erase(it);
      ++n;
    } else {
      ++it;
    }
  }
  evictions_.fetch_add(n, std::memory_order_relaxed);
  return n;
}

void MetadataStore::erase(const std::string& id) {
  std::lock_guard lock(mu_);
  evictions_.fetch_add(map_.erase(id), std::memory_order_relaxed);
}

size_t MetadataStore::size() const {
  std::lock_guard lock(mu_);
  return map_.size();
}

// Full: the least recently seen entry goes (exited ones first). A linear scan, but only
// when the map is at capacity, which a node with fewer containers than the bound never is.
void MetadataStore::make_room() {
  if (map_.size() < capacity_) return;
  auto victim = map_.begin();
  for (auto it = map_.begin(); it != map_.end(); ++it) {
    const bool it_exited = it->second.exited_at_ms != 0;
    const bool v_exited = victim->second.exited_at_ms != 0;
    if (it_exited != v_exited ? it_exited : it->second.last_used_ms < victim->second.last_used_ms) {
      victim = it;
    }
  }
  map_.erase(victim);
  evictions_.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace saker::container
