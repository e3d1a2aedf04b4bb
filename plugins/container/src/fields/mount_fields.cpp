// container.mounts and container.mount*[...]: a mount is picked by its index, or by a path
// that may be a glob (fnmatch, '*' also crossing '/'): the destination for
// container.mount.source[...], the source for every other field. Each mount renders as
// "source:dest:mode:rdwr:propagation".
#include <fnmatch.h>

#include <charconv>

#include "field_table.h"

namespace saker::container::fields {
namespace {

using sdk::FieldType;

std::string render(const Mount& m) {
  return m.source + ":" + m.dest + ":" + m.mode + ":" + (m.rdwr ? "true" : "false") + ":" +
         m.propagation;
}

bool glob_match(std::string_view pattern, const std::string& path) {
  const std::string p(pattern);
  return ::fnmatch(p.c_str(), path.c_str(), 0) == 0;
}

// The mount the argument names; `by_dest` matches a path argument against destinations.
const Mount* select(const FieldCtx& c, const ContainerInfo& m, bool by_dest) {
  if (!c.has_arg || c.arg.empty()) return nullptr;
  size_t idx = 0;
  auto [end, ec] = std::from_chars(c.arg.data(), c.arg.data() + c.arg.size(), idx);
  if (ec == std::errc() && end == c.arg.data() + c.arg.size()) {
    return idx < m.mounts.size() ? &m.mounts[idx] : nullptr;
  }
  for (const auto& mt : m.mounts) {
    if (glob_match(c.arg, by_dest ? mt.dest : mt.source)) return &mt;
  }
  return nullptr;
}

void mounts(const FieldCtx& c) {
  auto* m = c.meta();
  if (!m) return;
  std::string out;
  for (const auto& mt : m->mounts) {
    if (!out.empty()) out += ' ';
    out += render(mt);
  }
  c.req.set(out);
}

// Falco answers "none" rather than no value for a mount that does not exist.
void mount(const FieldCtx& c) {
  if (auto* m = c.meta()) {
    const Mount* mt = select(c, *m, false);
    c.req.set(mt ? render(*mt) : std::string("none"));
  }
}

template <std::string Mount::*Member, bool kByDest>
void mount_part(const FieldCtx& c) {
  if (auto* m = c.meta()) {
    if (const Mount* mt = select(c, *m, kByDest)) c.req.set(mt->*Member);
  }
}

void mount_rdwr(const FieldCtx& c) {
  if (auto* m = c.meta()) {
    if (const Mount* mt = select(c, *m, false)) c.req.set(mt->rdwr ? "true" : "false");
  }
}

}  // namespace

std::vector<FieldEntry> mount_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("container.mounts", FT::kString,
            "The container's mounts, space-separated, each source:dest:mode:rdwr:propagation.",
            &mounts),
      field("container.mount", FT::kString,
            "One mount, by index (container.mount[0]) or source path glob "
            "(container.mount[/usr/*]), as source:dest:mode:rdwr:propagation; 'none' if no "
            "mount matches.",
            &mount),
      field("container.mount.source", FT::kString,
            "A mount's source, by index or destination path glob.",
            &mount_part<&Mount::source, true>),
      field("container.mount.dest", FT::kString,
            "A mount's destination, by index or source path glob.",
            &mount_part<&Mount::dest, false>),
      field("container.mount.mode", FT::kString, "A mount's mode, by index or source path glob.",
            &mount_part<&Mount::mode, false>),
      field("container.mount.rdwr", FT::kString,
            "Whether a mount is read-write ('true'/'false'), by index or source path glob.",
            &mount_rdwr),
      field("container.mount.propagation", FT::kString,
            "A mount's propagation, by index or source path glob.",
            &mount_part<&Mount::propagation, false>),
  };
  for (size_t i = 1; i < v.size(); ++i) v[i].info.with_arg(sdk::ArgKind::kIndexOrKey, true);
  return v;
}

}  // namespace saker::container::fields
