// The informational actions: --version, --list, --list-plugins, --plugin-info.
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app.h"
#include "saker_version.h"

namespace saker::app {

namespace {

bool want_json(const CliOptions* o, const core::Config& c) {
  if (o && !o->format.empty()) return o->format == "json";
  return c.get<bool>("json_output", false);
}

std::string field_arg(const core::FieldDef& d) {
  if (!d.takes_index() && !d.takes_key()) return "none";
  std::string k = d.takes_index() && d.takes_key() ? "index|key" : d.takes_index() ? "index" : "key";
  return k + (d.arg_required() ? " (required)" : " (optional)");
}

std::vector<std::string> capabilities(const core::PluginInstance& p) {
  std::vector<std::string> c;
  if (p.source_api()) c.push_back("source (" + p.source_name() + ")");
  if (p.extract_api()) c.push_back("extract");
  if (p.parse_api()) c.push_back("parse");
  if (p.output_api()) c.push_back("output");
  return c;
}

nlohmann::json plugin_json(const core::PluginInstance& p) {
  const auto& d = p.descriptor();
  nlohmann::json j;
  j["name"] = p.name();
  j["library"] = d.name;
  j["version"] = d.version;
  j["api_version"] = p.library().version_string();
  j["description"] = d.description ? d.description : "";
  j["contact"] = d.contact ? d.contact : "";
  j["path"] = p.library().path().string();
  j["capabilities"] = capabilities(p);
  return j;
}

}  // namespace

int print_version(const core::Config& config) {
  if (config.get<bool>("json_output", false)) {
    nlohmann::json j;
    j["saker_version"] = SAKER_VERSION;
    j["plugin_api_version"] = std::to_string(SAKER_PLUGIN_API_MAJOR) + "." +
                              std::to_string(SAKER_PLUGIN_API_MINOR) + ".0";
    std::cout << j.dump() << "\n";
    return 0;
  }
  std::cout << "saker version: " << SAKER_VERSION << "\n"
            << "Plugin API: " << SAKER_PLUGIN_API_MAJOR << "." << SAKER_PLUGIN_API_MINOR
            << ".0\n";
  return 0;
}

namespace {

// The type as Falco's field listing names it (libsinsp's parameter type names).
const char* falco_type_name(saker_field_type t) {
  switch (t) {
    case SAKER_FIELD_STRING: return "CHARBUF";
    case SAKER_FIELD_U64: return "UINT64";
    case SAKER_FIELD_S64: return "INT64";
    case SAKER_FIELD_BOOL: return "BOOL";
    case SAKER_FIELD_RELTIME: return "RELTIME";
    case SAKER_FIELD_ABSTIME: return "ABSTIME";
    case SAKER_FIELD_IPADDR: return "IPADDR";
    case SAKER_FIELD_IPNET: return "IPNET";
    case SAKER_FIELD_BYTES: return "BYTEBUF";
  }
  return "UNKNOWN";
}

// Falco's field class: the name up to its first dot ("fd" for fd.name, "fs.path" for
// fs.path.name: the class is everything but the last component when there are more).
std::string field_class(const std::string& name) {
  if (name.rfind("fs.path.", 0) == 0) return "fs.path";
  return name.substr(0, name.find('.'));
}

}  // namespace

int list_fields(core::Engine& engine, const CliOptions& opts, const core::Config& config) {
  const std::string& source = *opts.list_fields;
  if (!source.empty()) {
    auto srcs = engine.available_sources();
    bool known = std::find(srcs.begin(), srcs.end(), source) != srcs.end();
    if (!known) {
      std::cerr << "saker: unknown event source '" << source << "'\n";
      return 1;
    }
  }
  // Group by provider, in registration order.
  std::vector<std::pair<std::string, std::vector<const core::FieldDef*>>> groups;
  for (const core::FieldDef* d : engine.fields().list(source)) {
    if (d->flags & SAKER_FIELD_HIDDEN) continue;
    const std::string& owner = d->provider->provider_name();
    if (groups.empty() || groups.back().first != owner) groups.push_back({owner, {}});
    groups.back().second.push_back(d);
  }
  if (want_json(&opts, config)) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [owner, defs] : groups) {
      for (const auto* d : defs) {
        out.push_back({{"name", d->name}, {"type", core::field_type_name(d->type)},
                       {"falco_type", falco_type_name(d->type)}, {"class", field_class(d->name)},
                       {"is_list", d->is_list()}, {"arg", field_arg(*d)},
                       {"description", d->description}, {"plugin", owner},
                       {"sources", d->sources}});
      }
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const auto& [owner, defs] : groups) {
    if (!opts.names_only) {
      std::string srcs;
      for (const auto& s : defs.front()->sources) srcs += (srcs.empty() ? "" : ", ") + s;
      std::cout << "\n----- Fields of " << owner << " (sources: " << (srcs.empty() ? "all" : srcs)
                << ")\n\n";
    }
    std::string cls;
    for (const auto* d : defs) {
      if (opts.names_only) {
        std::cout << d->name << "\n";
        continue;
      }
      if (field_class(d->name) != cls) {  // Falco lists fields by class
        cls = field_class(d->name);
        std::cout << "\nField Class: " << cls << "\n";
      }
      std::string type = falco_type_name(d->type);
      if (d->is_list()) type = "LIST of " + type;
      std::cout << std::left << std::setw(28) << d->name << " " << std::setw(16) << type << " "
                << d->description;
      if (d->takes_index() || d->takes_key()) std::cout << " [arg: " << field_arg(*d) << "]";
      std::cout << "\n";
    }
  }
  return 0;
}

int list_plugins(core::Engine& engine, const core::Config& config) {
  const auto& insts = engine.plugins().instances();
  if (config.get<bool>("json_output", false)) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& p : insts) arr.push_back(plugin_json(*p));
    std::cout << nlohmann::json{{"plugins", arr}}.dump(2) << "\n";
    return 0;
  }
  std::cout << insts.size() << " plugin(s) loaded:\n";
  for (const auto& p : insts) {
    auto j = plugin_json(*p);
    std::cout << "\nName: " << p->name() << "\nLibrary: " << j["library"].get<std::string>() << " ("
              << j["path"].get<std::string>() << ")\nDescription: "
              << j["description"].get<std::string>() << "\nContact: "
              << j["contact"].get<std::string>() << "\nVersion: " << j["version"].get<std::string>()
              << "\nPlugin API: " << j["api_version"].get<std::string>() << "\nCapabilities:\n";
    for (const auto& c : capabilities(*p)) std::cout << "  - " << c << "\n";
  }
  for (const auto& f : engine.plugins().failures()) {
    std::cout << "\nRefused: " << f.name << ": " << f.message << "\n";
  }
  return engine.plugins().failures().empty() ? 0 : 1;
}

int plugin_info(core::Engine& engine, const std::string& name, const core::Config& config) {
  core::PluginInstance* p = engine.plugins().find(name);
  if (!p) {
    for (const auto& i : engine.plugins().instances()) {
      if (i->library().path().filename() == name || i->library().path() == name) p = i.get();
    }
  }
  if (!p) {
    try {
      p = &engine.plugins().load({name, name.find('/') == std::string::npos &&
                                                name.find(".so") == std::string::npos
                                            ? "lib" + name + ".so"
                                            : name,
                                  "", ""});
    } catch (const std::exception& e) {
      std::cerr << "saker: " << e.what() << "\n";
      return 1;
    }
  }
  auto j = plugin_json(*p);
  const char* schema = p->descriptor().init_schema;
  j["init_config_schema"] = schema ? nlohmann::json::parse(schema, nullptr, false) : nullptr;
  std::string params = p->source_api() ? p->open_params_json() : "";
  j["suggested_open_params"] =
      params.empty() ? nlohmann::json::array() : nlohmann::json::parse(params, nullptr, false);
  if (config.get<bool>("json_output", false)) {
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Name: " << p->name() << "\nDescription: " << j["description"].get<std::string>()
            << "\nContact: " << j["contact"].get<std::string>()
            << "\nVersion: " << j["version"].get<std::string>() << "\nCapabilities:\n";
  for (const auto& c : capabilities(*p)) std::cout << "  - " << c << "\n";
  std::cout << "Init config schema: " << (schema ? schema : "none") << "\n"
            << "Suggested open params: " << (params.empty() ? "none" : params) << "\n";
  return 0;
}

}  // namespace saker::app
