// `${VAR}` expansion in configuration strings (`${{VAR}}` is the escape for a literal
// `${VAR}`), applied once to each parsed document or override value before it is merged,
// so a value is never expanded twice (an escaped `${{X}}` must stay `${X}`).
#include <cstdlib>

#include "config.h"
#include "config_path.h"

namespace saker::core {
namespace config_detail {

std::string expand_env_string(std::string_view text, std::vector<std::string>& unset) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 3, "${{") == 0) {
      const std::size_t close = text.find("}}", i + 3);
      if (close != std::string_view::npos) {
        out += "${";
        out += text.substr(i + 3, close - i - 3);
        out += "}";
        i = close + 2;
        continue;
      }
    } else if (text.compare(i, 2, "${") == 0) {
      const std::size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        const std::string name(text.substr(i + 2, close - i - 2));
        if (const char* value = std::getenv(name.c_str())) {
          out += value;
        } else {
          unset.push_back(name);
        }
        i = close + 1;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace config_detail

namespace {

// Expands every string scalar under `node` in place. yaml-cpp aliases (`*anchor`) share one
// node between several places; `done` remembers what was already rewritten so an alias is
// not expanded twice. Only scalars containing "${" are tracked, so the list stays tiny.
void expand_tree(YAML::Node node, std::vector<YAML::Node>& done, std::vector<std::string>& unset) {
  if (node.IsScalar()) {
    if (node.Scalar().find("${") == std::string::npos) return;
    for (const YAML::Node& seen : done) {
      if (seen.is(node)) return;
    }
    // Assigning a std::string rewrites the scalar in place, keeping its tag and mark.
    node = config_detail::expand_env_string(node.Scalar(), unset);
    done.push_back(node);
  } else if (node.IsMap()) {
    for (auto it = node.begin(); it != node.end(); ++it) expand_tree(it->second, done, unset);
  } else if (node.IsSequence()) {
    for (auto it = node.begin(); it != node.end(); ++it) expand_tree(*it, done, unset);
  }
}

}  // namespace

void Config::expand_env(YAML::Node tree, const std::string& source) {
  std::vector<YAML::Node> done;
  std::vector<std::string> unset;
  expand_tree(tree, done, unset);
  for (const std::string& name : unset) {
    warnings_.push_back(source + ": environment variable '" + name +
                        "' is not set; expanded to an empty string");
  }
}

}  // namespace saker::core
