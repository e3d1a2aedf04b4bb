// fs.path.* fields: the path(s) a filesystem syscall operates on, resolved against the
// cwd or the dirfd the event table names for the parameter (Falco's fs.path.name, source
// and target for rename/link/symlink).
#include "event_table.h"
#include "field_table.h"
#include "state/paths.h"

namespace saker::syscall::fields {
namespace {

using sdk::FieldType;

// The first parameter among `names` present on the event (or its enter event), raw text.
std::optional<std::pair<ArgRef, std::string_view>> first_path(
    const FieldCtx& c, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    ArgRef a = c.ec.arg(n);
    if (!a) continue;
    auto s = a.view->param_str(a.index);
    if (s && !s->empty()) return std::make_pair(a, *s);
  }
  return std::nullopt;
}

std::string resolved(const FieldCtx& c, ArgRef a, std::string_view path) {
  const scap::EventInfo& info = a.view->info();
  std::string_view base = c.state.cwd_of(c.ec.thread);
  if (a.index < info.nparams && info.params[a.index].dirfd_index != scap::kNoDirfd) {
    if (auto dirfd = a.view->param_int(info.params[a.index].dirfd_index)) {
      base = c.state.dirfd_path(c.ec, *dirfd);
    }
  } else if (auto dirfd = c.ec.arg_int("dirfd")) {
    base = c.state.dirfd_path(c.ec, *dirfd);
  }
  return resolve_path(base, path);
}

bool is_two_path_event(const FieldCtx& c) {
  std::string_view n = c.ec.evt.name();
  return n.starts_with("rename") || n.starts_with("link") || n.starts_with("symlink");
}

void emit(const FieldCtx& c, std::initializer_list<const char*> names, bool raw) {
  auto p = first_path(c, names);
  if (!p) return;
  if (raw) {
    // an open by saker's driver carries the caller's argument behind the kernel's path
    std::string_view after = raw_after_path(p->first.view->param(p->first.index));
    return c.req.set(after.empty() ? p->second : after);
  }
  c.req.set(resolved(c, p->first, p->second));
}

void path_name(const FieldCtx& c) {
  if (is_two_path_event(c)) return;
  emit(c, {"path", "name", "filename", "pathname"}, false);
}
void path_nameraw(const FieldCtx& c) {
  if (is_two_path_event(c)) return;
  emit(c, {"path", "name", "filename", "pathname"}, true);
}
void path_source(const FieldCtx& c) {
  if (is_two_path_event(c)) emit(c, {"oldpath", "target"}, false);
}
void path_sourceraw(const FieldCtx& c) {
  if (is_two_path_event(c)) emit(c, {"oldpath", "target"}, true);
}
void path_target(const FieldCtx& c) {
  if (is_two_path_event(c)) emit(c, {"newpath", "linkpath"}, false);
}
void path_targetraw(const FieldCtx& c) {
  if (is_two_path_event(c)) emit(c, {"newpath", "linkpath"}, true);
}

}  // namespace

std::vector<FieldEntry> fs_fields() {
  using FT = FieldType;
  return {
      field("fs.path.name", FT::kString, "Absolute path a filesystem syscall operates on.",
            &path_name),
      field("fs.path.nameraw", FT::kString, "The same path as passed to the syscall.",
            &path_nameraw),
      field("fs.path.source", FT::kString,
            "Absolute source path of rename/link/symlink (symlink: the link's target).",
            &path_source),
      field("fs.path.sourceraw", FT::kString, "Source path as passed to the syscall.",
            &path_sourceraw),
      field("fs.path.target", FT::kString,
            "Absolute target path of rename/link/symlink (symlink: the new link).", &path_target),
      field("fs.path.targetraw", FT::kString, "Target path as passed to the syscall.",
            &path_targetraw),
  };
}

}  // namespace saker::syscall::fields
