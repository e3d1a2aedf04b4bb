// The container events of the syscall stream: what carries a container's metadata inside a
// capture, so that a replay knows the container's name, image, mounts... without asking a
// runtime. Pure functions over bytes (no I/O, no state), usable from any thread.
//
// Written (encode_*): when the runtime worker learns a container's metadata the plugin
// injects a PPME_CONTAINER_JSON_2_E event (scap type 324, named "container", one
// large-payload parameter: the JSON text, NUL-terminated) into the syscall stream; when the
// runtime reports the container's exit, a PPME_ASYNCEVENT_E (402: plugin_id u32, name
// "container_removed", data: the JSON) as Falco's container plugin writes it. The JSON is
// libsinsp's container document ({"container": {"id", "full_id", "type" (number), "name",
// "image", "imagerepo", "imagetag", "imagedigest", "imageid", "privileged", "Mounts": [{"Source",
// "Destination", "Mode", "RW", "Propagation"}], "labels", "ip", "host_pid", ...}}), which
// sysdig, Falco before 0.41 and Falco's container plugin (0.41 on) all read.
//
// Read (decode): those two, plus the other forms captures carry: PPME_CONTAINER_E (228: id,
// type u32, name, image), PPME_CONTAINER_JSON_E (272: the JSON, 16-bit lengths) and the
// async event "container" of Falco's container plugin (402, data: the same JSON, also
// accepted with the fields at the top level instead of under "container").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "container_info.h"

namespace saker::container::events {

inline constexpr uint16_t kContainerE = 228;
inline constexpr uint16_t kContainerJsonE = 272;
inline constexpr uint16_t kContainerJson2E = 324;
inline constexpr uint16_t kAsyncE = 402;
inline constexpr std::string_view kAsyncAdded = "container";
inline constexpr std::string_view kAsyncRemoved = "container_removed";
// The thread id the events carry: none (libsinsp's -1).
inline constexpr uint64_t kNoThread = ~0ull;

constexpr bool is_container_event_type(uint16_t t) {
  return t == kContainerE || t == kContainerJsonE || t == kContainerJson2E || t == kAsyncE;
}

// libsinsp's container JSON document for `info` / back (throws std::runtime_error on text
// that is not such a document or has no id).
std::string to_json(const ContainerInfo& info);
ContainerInfo from_json(std::string_view text);

// The runtime type name (docker, podman, containerd, cri-o, cri...) <-> libsinsp's number.
uint32_t type_code(std::string_view type);
std::string type_name(uint32_t code);

std::vector<uint8_t> encode_added(const ContainerInfo& info, uint64_t ts);
std::vector<uint8_t> encode_removed(const ContainerInfo& info, uint64_t ts);
// An async event named `name` carrying info's JSON: encode_removed's kAsyncRemoved, or
// kAsyncAdded, Falco 0.41+'s form of a container event.
std::vector<uint8_t> encode_async(std::string_view name, const ContainerInfo& info, uint64_t ts);

struct Decoded {
  enum class Kind { kNone, kAdded, kRemoved };
  Kind kind = Kind::kNone;  // kNone: no container event (e.g. another plugin's async event)
  ContainerInfo info;
};
// One whole scap event. Throws std::runtime_error (with the reason) on a container event
// that cannot be read: truncated, no JSON, JSON without an id.
Decoded decode(std::span<const uint8_t> event);

}  // namespace saker::container::events
