// The container plugin's fields: one entry per field with a small extractor, grouped in
// container_fields.cpp (container.*), mount_fields.cpp (container.mount*) and k8s_fields.cpp
// (k8s.*). Names, types and meanings follow Falco's container plugin. Table order is the
// order of `saker --list=syscall` for these fields.
//
// An extractor reads the thread's ContainerKey (from the cgroup: always there) and the
// container's ContainerInfo (null until first seen; metadata only once the runtime
// answered) and sets the request's value, or none (<NA>). Extractors run on the event
// path: no I/O, no throw.
#pragma once

#include <saker/sdk/types.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "container_info.h"
#include "process_cache.h"

namespace saker::container::fields {

// What an extractor may ask of the event's thread beyond its container (read on demand
// from the syscall plugin through the host).
class ThreadFacts {
 public:
  virtual ~ThreadFacts() = default;
  // proc.pidns_init_start_ts: the start of the process's pid namespace (a container's).
  virtual std::optional<uint64_t> pidns_init_start_ts() const = 0;
};

struct FieldCtx {
  const sdk::Event& evt;
  sdk::ExtractRequest& req;
  const ContainerKey& key;
  const ContainerInfo* info;  // null when the container is not in the store
  const ThreadFacts& thread;
  std::string_view arg;
  bool has_arg;

  // The metadata, when the runtime has answered for this container.
  const ContainerInfo* meta() const {
    return info && info->has_metadata && !key.is_host() ? info : nullptr;
  }
};

using ExtractFn = void (*)(const FieldCtx&);

struct FieldEntry {
  sdk::FieldInfo info;
  ExtractFn fn;
};

inline FieldEntry field(const char* name, sdk::FieldType type, const char* desc, ExtractFn fn) {
  return FieldEntry{sdk::FieldInfo(name, type, desc), fn};
}

std::vector<FieldEntry> container_fields();
std::vector<FieldEntry> mount_fields();
std::vector<FieldEntry> k8s_fields();
std::vector<FieldEntry> all_fields();

// Helpers shared by the families.
void set_nonempty(const FieldCtx& c, std::string_view s);
// "k1:v1,k2:v2" (Falco's rendering of label maps).
std::string join_labels(const std::map<std::string, std::string>& labels);

}  // namespace saker::container::fields
