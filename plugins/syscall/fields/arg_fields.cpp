// evt.arg / evt.rawarg (by name or index), evt.args and evt.info. The exit event's own
// parameters come first; a name the exit event lacks is looked up in its enter event (the
// folding of enter parameters that current Falco does).
//
// Falco also accepts the dotted spelling evt.arg.NAME. Until the rule compiler maps it to
// evt.arg[NAME] itself, the table carries one hidden alias per parameter name of the event
// table, so every such spelling resolves.
#include <set>

#include "event_table.h"
#include "field_table.h"
#include "param_format.h"

namespace saker::syscall::fields {
namespace {

using scap::ParamType;
using sdk::FieldType;

bool is_flag_type(ParamType t) {
  return t == ParamType::kFlags8 || t == ParamType::kFlags16 || t == ParamType::kFlags32 ||
         t == ParamType::kMode || t == ParamType::kEnumFlags8 || t == ParamType::kEnumFlags16 ||
         t == ParamType::kEnumFlags32;
}

// Flags render as their names only ("O_RDONLY|O_CLOEXEC"), as Falco's evt.arg does;
// everything else as the scap text rendering.
std::string render(const scap::EventView& v, std::uint32_t i) {
  const scap::EventInfo& info = v.info();
  if (i < info.nparams && is_flag_type(info.params[i].type) && info.params[i].flags) {
    auto val = v.param_uint(i);
    const bool is_enum = info.params[i].type >= ParamType::kEnumFlags8;
    if (val) {
      std::string names = scap::format_flags(*val, info.params[i].flags, is_enum);
      if (!names.empty()) return names;
    }
  }
  return scap::format_param(v, i);
}

ArgRef find(const FieldCtx& c) {
  if (c.key.empty()) return {};
  if (c.key[0] >= '0' && c.key[0] <= '9') {
    std::uint32_t i = static_cast<std::uint32_t>(std::stoul(std::string(c.key)));
    return c.ec.evt.has_param(i) ? ArgRef{&c.ec.evt, i} : ArgRef{};
  }
  return c.ec.arg(c.key);
}

void evt_arg(const FieldCtx& c) {
  ArgRef a = find(c);
  if (a) c.req.set(render(*a.view, a.index));
}

void evt_rawarg(const FieldCtx& c) {
  ArgRef a = find(c);
  if (!a) return;
  if (auto v = a.view->param_int(a.index)) c.req.set(*v);
}

void evt_args(const FieldCtx& c) { c.req.set(scap::format_args(c.ec.evt)); }

void evt_info(const FieldCtx& c) {
  std::string s = scap::format_args(c.ec.evt);
  if (c.ec.enter) {
    std::string e = scap::format_args(*c.ec.enter);
    if (!e.empty()) s = s.empty() ? e : e + " " + s;
  }
  c.req.set(s);
}

std::set<std::string> all_param_names() {
  std::set<std::string> names;
  for (const auto& e : scap::event_table()) {
    for (std::uint32_t i = 0; i < e.nparams; ++i) {
      if (e.params && e.params[i].name) names.insert(e.params[i].name);
    }
  }
  return names;
}

}  // namespace

std::vector<FieldEntry> arg_fields() {
  using FT = FieldType;
  std::vector<FieldEntry> v = {
      field("evt.arg", FT::kString,
            "One argument of the event, by name (evt.arg.fd, evt.arg[fd]) or index "
            "(evt.arg[0]), as text; enter-event arguments are found on the exit event.",
            &evt_arg),
      field("evt.rawarg", FT::kS64,
            "One numeric argument of the event, by name (evt.rawarg.res), unformatted.",
            &evt_rawarg),
      field("evt.args", FT::kString, "All the arguments of the event as one text.", &evt_args),
      field("evt.info", FT::kString,
            "The arguments of the enter and exit events of the syscall as one text.", &evt_info),
  };
  v[0].info.with_arg(sdk::ArgKind::kIndexOrKey, true);
  v[1].info.with_arg(sdk::ArgKind::kKey, true);
  for (const auto& name : all_param_names()) {
    FieldEntry a = field("", FT::kString, "Alias of evt.arg[NAME].", &evt_arg);
    a.info.name = "evt.arg." + name;
    a.info.as_hidden();
    a.key = name;
    v.push_back(std::move(a));
    FieldEntry r = field("", FT::kS64, "Alias of evt.rawarg[NAME].", &evt_rawarg);
    r.info.name = "evt.rawarg." + name;
    r.info.as_hidden();
    r.key = name;
    v.push_back(std::move(r));
  }
  return v;
}

}  // namespace saker::syscall::fields
