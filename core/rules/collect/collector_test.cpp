// Unit tests of the reader + collector: define / append / override / enable-only forms,
// exceptions, versions, error codes and messages, and warnings.
#include "collector.h"

#include <doctest/doctest.h>

#include "rules/loader/rules_loader.h"

using namespace saker::rules;

namespace {

constexpr const char* kRule = "  desc: d\n  output: o\n  priority: INFO\n";

struct Loaded {
  RulesLoader loader;
  LoadResult result;
};

std::unique_ptr<Loaded> load(const std::string& yaml, LoaderOptions opts = {}) {
  auto l = std::make_unique<Loaded>(Loaded{RulesLoader(std::move(opts)), {}});
  l->result = l->loader.load_content("t.yaml", yaml);
  return l;
}

// "CODE: message" of the first error, or "ok".
std::string first_error(const std::string& yaml) {
  auto l = load(yaml);
  if (l->result.successful) return "ok";
  const auto& e = l->result.errors.at(0);
  return std::string(code_name(e.code)) + ": " + e.message;
}

std::string cond_of(const Loaded& l, const std::string& rule) {
  for (const auto& r : l.loader.resolved().rules) {
    if (r.info.name == rule) return as_string(*r.ast);
  }
  return "<missing>";
}

}  // namespace

TEST_CASE("YAML structure errors") {
  CHECK(first_error("- rule: [").rfind("LOAD_ERR_YAML_PARSE: yaml-cpp: error at line", 0) == 0);
  CHECK(first_error("just a scalar") == "LOAD_ERR_YAML_VALIDATE: Rules content is not yaml");
  CHECK(first_error("a: b") ==
        "LOAD_ERR_YAML_VALIDATE: Rules content is not yaml array of objects");
  CHECK(first_error("- 1") ==
        "LOAD_ERR_YAML_VALIDATE: Unexpected element type. Each element "
        "should be a yaml associative array.");
  CHECK(first_error("---\n---\n- ~\n") == "ok");
}

TEST_CASE("decode_val errors") {
  CHECK(first_error("- list: l\n") ==
        "LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'items'");
  CHECK(first_error("- macro: m\n  condition:\n") ==
        "LOAD_ERR_YAML_VALIDATE: Mapping for key 'condition' is empty");
  CHECK(first_error("- macro: m\n  condition: [a]\n") ==
        "LOAD_ERR_YAML_VALIDATE: Value is not a scalar value");
  CHECK(first_error("- macro: m\n  condition: \"\"\n") ==
        "LOAD_ERR_YAML_VALIDATE: Value must be non-empty");
  CHECK(first_error("- rule: r\n  condition: a\n  enabled: maybe\n" + std::string(kRule)) ==
        "LOAD_ERR_YAML_VALIDATE: Can't decode YAML scalar value");
  CHECK(first_error("- list: l\n  items: x\n") ==
        "LOAD_ERR_YAML_VALIDATE: Value is not a sequence");
  CHECK(first_error("- list: l\n  items: [[x]]\n") ==
        "LOAD_ERR_YAML_VALIDATE: sequence value is not scalar");
  CHECK(first_error(
            "- rule: r\n  condition: a.b exists\n  desc: d\n  output: o\n  priority: loud\n") ==
        "LOAD_ERR_YAML_VALIDATE: Invalid priority");
}

TEST_CASE("item kinds, unknown items and keys") {
  auto l = load("- foo: bar\n- list: l\n  items: []\n  priority: INFO\n");
  CHECK(l->result.successful);
  CHECK(l->result.has_warning(LoadCode::kUnknownItem));
  REQUIRE(l->result.has_warning(LoadCode::kUnknownKey));
  bool found = false;
  for (const auto& w : l->result.warnings) {
    found |= w.message == "Unknown key 'priority'. The key will be ignored.";
  }
  CHECK(found);
}

TEST_CASE("engine version requirements") {
  auto l = load("- required_engine_version: 15\n- required_engine_version: 0.57.0\n");
  CHECK(l->result.successful);
  CHECK(l->loader.collector().required_engine_version() == Version{0, 57, 0});
  CHECK(first_error("- required_engine_version: 0.64.0") ==
        "LOAD_ERR_VALIDATE: Rules require engine version 0.64.0, but engine version is 0.63.0");
  CHECK(first_error("- required_engine_version: 1.0.0").rfind("LOAD_ERR_VALIDATE", 0) == 0);
  CHECK(first_error("- required_engine_version: abc") ==
        "LOAD_ERR_YAML_VALIDATE: Unable to parse engine version 'abc' as a semver string. "
        "Expected \"x.y.z\" semver format.");
}

TEST_CASE("plugin version requirements with alternatives") {
  auto l = load(
      "- required_plugin_versions:\n  - name: k8saudit\n    version: 0.18.0\n"
      "    alternatives:\n      - name: k8saudit-eks\n        version: 0.12.0\n"
      "  - name: json\n    version: 0.7.0\n");
  REQUIRE(l->result.successful);
  const Collector& c = l->loader.collector();
  CHECK(c.plugin_versions().size() == 2);
  CHECK(c.check_plugin_requirements({{"k8saudit-eks", "0.12.3"}, {"json", "0.7.1"}}).empty());
  auto errs = c.check_plugin_requirements({{"k8saudit", "0.17.0"}, {"json", "1.0.0"}});
  CHECK(errs.size() == 2);
  errs = c.check_plugin_requirements({{"json", "0.7.0"}});
  REQUIRE(errs.size() == 1);
  CHECK(errs[0] ==
        "Plugin requirement not satisfied, must load one of: k8saudit (>= 0.18.0), "
        "k8saudit-eks (>= 0.12.0)");
  CHECK(first_error("- required_plugin_versions: x") ==
        "LOAD_ERR_YAML_VALIDATE: Value of required_plugin_versions must be a sequence");
  CHECK(first_error("- required_plugin_versions: [x]") ==
        "LOAD_ERR_YAML_VALIDATE: Plugin version must be a mapping");
  CHECK(first_error("- required_plugin_versions: [{name: a, version: 1.2}]") ==
        "LOAD_ERR_VALIDATE: Invalid required version '1.2' for plugin 'a'");
  CHECK(first_error("- required_plugin_versions: [{name: a, version: 1.2.0, alternatives: "
                    "[{name: a, version: 1.0.0}]}]") ==
        "LOAD_ERR_VALIDATE: Defined multiple alternative version requirements for plugin 'a'");
}

TEST_CASE("plugin requirements of a file whose rules are all of sources not loaded") {
  // a k8s_audit rules file on a node that only loads the syscall source: its rules are
  // skipped, so is the plugin it requires (when asked); a file with a loaded rule is not
  LoaderOptions opts;
  opts.collector.is_known_source = [](const std::string& s) { return s == "syscall"; };
  auto l = load(
      "- required_plugin_versions:\n  - name: k8saudit\n    version: 0.1.0\n"
      "- rule: r\n  desc: d\n  condition: ka.verb = get\n  output: o\n  priority: INFO\n"
      "  source: k8s_audit\n",
      opts);
  REQUIRE(l->result.successful);
  const Collector& c = l->loader.collector();
  CHECK(c.check_plugin_requirements({}).size() == 1);
  CHECK(c.check_plugin_requirements({}, /*skip_idle_files=*/true).empty());
  auto active = load(
      "- required_plugin_versions:\n  - name: k8saudit\n    version: 0.1.0\n"
      "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n",
      opts);
  REQUIRE(active->result.successful);
  CHECK(active->loader.collector().check_plugin_requirements({}, true).size() == 1);
}

TEST_CASE("lists: redefinition keeps the slot, appends concatenate") {
  auto l = load(
      "- list: a\n  items: [x]\n- list: b\n  items: [y]\n- list: a\n  items: [z]\n"
      "- list: b\n  items: [w]\n  append: true\n- list: b\n  items: [v]\n"
      "  override:\n    items: append\n- list: 'bad name'\n  items: []\n");
  REQUIRE(l->result.successful);
  const auto& lists = l->loader.collector().lists();
  REQUIRE(lists.size() == 3);
  CHECK(lists[0].name == "a");
  CHECK(lists[0].items == std::vector<std::string>{"z"});
  CHECK(lists[1].items == std::vector<std::string>{"y", "w", "v"});
  CHECK(l->result.has_warning(LoadCode::kDeprecatedItem));
  CHECK(l->result.has_warning(LoadCode::kInvalidListName));
  CHECK(l->result.has_warning(LoadCode::kUnusedList));
  CHECK(first_error("- list: n\n  items: [x]\n  override:\n    items: append\n") ==
        "LOAD_ERR_VALIDATE: List uses 'append' or 'override.items: append' but no list by that "
        "name already exists");
  CHECK(first_error("- list: n\n  items: [x]\n  append: true\n  override:\n    items: append\n") ==
        "LOAD_ERR_YAML_VALIDATE: Keys 'override' and 'append: true' cannot be used together. Add "
        "an 'append' entry (e.g. 'condition: append') under 'override' instead.");
}

TEST_CASE("list in list expands one level by visibility") {
  auto l = load(
      "- list: inner\n  items: [a, b]\n- list: outer\n  items: [inner, c]\n"
      "- rule: r\n  condition: x.y in (outer)\n" +
      std::string(kRule));
  REQUIRE(l->result.successful);
  CHECK(cond_of(*l, "r") == "x.y in (a, b, c)");
  CHECK_FALSE(l->result.has_warning(LoadCode::kUnusedList));
}

TEST_CASE("macros: append, visibility, undefined and loops") {
  auto l = load(
      "- macro: m\n  condition: a.b = 1\n- macro: m\n  condition: or a.b = 2\n"
      "  override:\n    condition: append\n"
      "- rule: r\n  condition: m and later\n" +
      std::string(kRule) +
      "- macro: later\n  condition: c.d exists\n- macro: unused\n  condition: no.such.field = 1\n");
  REQUIRE(l->result.successful);
  CHECK(cond_of(*l, "r") == "((a.b = 1 or a.b = 2) and c.d exists)");
  CHECK(l->result.has_warning(LoadCode::kUnusedMacro));
  CHECK(first_error("- macro: a\n  condition: b\n- macro: b\n  condition: x.y exists\n") ==
        "LOAD_ERR_VALIDATE: Undefined macro 'b' used in filter.");
  CHECK(first_error("- macro: a\n  condition: x.y exists\n- macro: b\n  condition: a\n"
                    "- macro: a\n  condition: or b\n  append: true\n") ==
        "LOAD_ERR_VALIDATE: reference loop in macro 'a'");
  CHECK(first_error("- macro: m\n  condition: a.b =\n") ==
        "LOAD_ERR_COMPILE_CONDITION: expected a string value or a field with a valid "
        "transformer: 'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', "
        "'getopt'");
  CHECK(first_error("- macro: n\n  condition: or x\n  append: true\n") ==
        "LOAD_ERR_VALIDATE: Macro uses 'append' or 'override.condition: append' but no macro by "
        "that name already exists");
  CHECK(load("- macro: 1bad\n  condition: a.b exists\n")
            ->result.has_warning(LoadCode::kInvalidMacroName));
}

TEST_CASE("rules: definition, redefinition keeps the slot, enable-only, legacy append") {
  auto l =
      load("- rule: one\n  condition: a.b = 1\n" + std::string(kRule) +
           "- rule: two\n  condition: a.b = 2\n" + kRule +
           "- rule: one\n  condition: a.b = 3\n  desc: d\n  output: '  o2 '\n  priority: error\n"
           "- rule: two\n  enabled: false\n"
           "- rule: two\n  condition: or a.b = 4\n  output: ignored\n  append: true\n");
  REQUIRE(l->result.successful);
  const auto& rules = l->loader.collector().rules();
  REQUIRE(rules.size() == 2);
  CHECK(rules[0].name == "one");
  CHECK(rules[0].output == "o2");
  CHECK(rules[0].priority == Priority::kError);
  CHECK_FALSE(rules[1].enabled);
  CHECK(rules[1].output == "o");
  CHECK(cond_of(*l, "two") == "(a.b = 2 or a.b = 4)");
  CHECK(l->result.warnings.size() == 2);  // standalone enabled + deprecated append
  CHECK(first_error("- rule: x\n  enabled: true\n") ==
        "LOAD_ERR_VALIDATE: Rule has 'enabled' key but no rule by that name already exists");
  CHECK(first_error("- rule: x\n  tags: [a]\n") ==
        "LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'enabled'");
  CHECK(first_error("- rule: x\n  append: true\n  desc: d\n") ==
        "LOAD_ERR_VALIDATE: Appended rule must have exceptions or condition property");
  CHECK(first_error("- rule: x\n  condition: a\n  append: true\n").find("no rule by that name") !=
        std::string::npos);
  CHECK(first_error("- rule: x\n  condition: a\n  desc: d\n  priority: INFO\n") ==
        "LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'output'");
}

TEST_CASE("rules: override append and replace") {
  auto l = load("- rule: r\n  condition: a.b = 1 and c.d = 2\n  tags: [t1]\n" + std::string(kRule) +
                "- rule: r\n  condition: or e.f = 3\n  output: more\n  tags: [t2]\n"
                "  priority: critical\n  enabled: false\n"
                "  override:\n    condition: append\n    output: append\n    tags: append\n"
                "    priority: replace\n    enabled: replace\n");
  REQUIRE(l->result.successful);
  const RuleInfo& r = l->loader.collector().rules().at(0);
  CHECK(r.output == "o more");
  CHECK(r.tags == std::set<std::string>{"t1", "t2"});
  CHECK(r.priority == Priority::kCritical);
  CHECK_FALSE(r.enabled);
  // no parentheses are added: (a and b) or e
  CHECK(cond_of(*l, "r") == "((a.b = 1 and c.d = 2) or e.f = 3)");
}

TEST_CASE("rules: override errors") {
  std::string base = "- rule: r\n  condition: a.b = 1\n" + std::string(kRule);
  CHECK(first_error(base + "- rule: r\n  condition: x\n  override:\n    condition: prepend\n") ==
        "LOAD_ERR_YAML_VALIDATE: Invalid override operation for key 'condition': 'prepend'. "
        "Allowed values are: append replace ");
  CHECK(first_error(base + "- rule: r\n  priority: INFO\n  override:\n    priority: append\n") ==
        "LOAD_ERR_YAML_VALIDATE: Key 'priority' cannot be appended to, use 'replace' instead");
  CHECK(first_error(base + "- rule: r\n  source: k\n  override:\n    source: replace\n") ==
        "LOAD_ERR_YAML_VALIDATE: Key 'source' cannot be replaced");
  CHECK(first_error(base + "- rule: r\n  override:\n    desc: replace\n") ==
        "LOAD_ERR_YAML_VALIDATE: An replace override for 'desc' was specified but 'desc' is not "
        "defined");
  CHECK(first_error(base + "- rule: r\n  desc: x\n  output: y\n  override:\n    desc: append\n") ==
        "LOAD_ERR_YAML_VALIDATE: Unexpected key 'output': no corresponding entry under 'override' "
        "is defined.");
  CHECK(first_error("- rule: n\n  desc: x\n  override:\n    desc: replace\n") ==
        "LOAD_ERR_VALIDATE: An 'override.desc: replace' to a rule was requested but no rule by "
        "that name already exists");
  CHECK(first_error("- rule: n\n  desc: x\n  override:\n    desc: append\n") ==
        "LOAD_ERR_VALIDATE: Rule uses 'append' or 'override.desc: append' but no rule by that "
        "name already exists");
}

TEST_CASE("rules: sources") {
  std::string k8s = "- rule: r\n  condition: a.b = 1\n  source: k8s_audit\n" + std::string(kRule);
  CHECK(first_error(k8s + "- rule: r\n  condition: a.b = 2\n" + kRule) ==
        "LOAD_ERR_VALIDATE: Rule has been re-defined with a different source");
  // the override form only looks at `source` when the condition is overridden
  CHECK(first_error(k8s +
                    "- rule: r\n  desc: x\n  source: syscall\n  override:\n    desc: replace\n") ==
        "ok");
  CHECK(first_error(k8s + "- rule: r\n  condition: x\n  source: syscall\n  override:\n"
                          "    condition: append\n") ==
        "LOAD_ERR_VALIDATE: Rule has been re-defined with a different source");
  LoaderOptions opts;
  opts.collector.is_known_source = [](const std::string& s) { return s == "syscall"; };
  auto l = load(
      k8s + "- rule: r\n  condition: or bad syntax (\n  override:\n    condition: append\n", opts);
  CHECK(l->result.successful);  // kept in the collector but never preprocessed
  CHECK(l->result.has_warning(LoadCode::kUnknownSource));
  CHECK(l->result.warnings[0].message == "Unknown source k8s_audit, skipping");
  CHECK(l->loader.resolved().rules.empty());
}

TEST_CASE("exceptions: reading and validation errors") {
  std::string head = "- rule: r\n  condition: a.b = 1\n" + std::string(kRule) + "  exceptions:\n";
  CHECK(first_error(head + "    x: 1\n") ==
        "LOAD_ERR_YAML_VALIDATE: Rule exceptions must be a sequence");
  CHECK(first_error(head + "    - x\n") ==
        "LOAD_ERR_YAML_VALIDATE: Rule exception must be a mapping");
  CHECK(first_error(head + "    - fields: [a.b]\n") ==
        "LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'name'");
  CHECK(first_error(head + "    - name: e\n") ==
        "LOAD_ERR_YAML_VALIDATE: Item has no mapping for key 'fields'");
  CHECK(first_error(head + "    - name: e\n      fields: [a.b]\n      values: x\n") ==
        "LOAD_ERR_YAML_VALIDATE: Rule exception values must be a sequence");
  CHECK(first_error(head + "    - name: e\n      fields: [a.b]\n      values: [[\"\"]]\n") ==
        "LOAD_ERR_YAML_VALIDATE: Value must be non-empty");
  CHECK(first_error(head + "    - name: e\n      fields: []\n") ==
        "LOAD_ERR_VALIDATE: Rule exception item must have fields property with a list of fields");
  CHECK(first_error(head + "    - name: e\n      fields: [a.b, c.d]\n      comps: [=]\n") ==
        "LOAD_ERR_VALIDATE: Fields and comps lists must have equal length");
  CHECK(first_error(head + "    - name: e\n      fields: [a.b]\n      comps: [like]\n") ==
        "LOAD_ERR_VALIDATE: 'like' is not a supported comparison operator");
  CHECK(
      first_error(head + "    - name: e\n      fields: [a.b]\n      comps: [startswith oneof]\n") ==
      "ok");
  CHECK(first_error(head + "    - name: e\n      fields: [notafield]\n") ==
        "LOAD_ERR_VALIDATE: 'notafield' is not a supported filter field");
  CHECK(first_error(head + "    - name: e\n      fields: a.b\n      comps: [in]\n") ==
        "LOAD_ERR_VALIDATE: Fields and comps must both be strings");
  CHECK(first_error(head + "    - name: e\n      fields: a.b\n      comps: '='\n") ==
        "LOAD_ERR_VALIDATE: When fields is a single value, comps must be one of (in, pmatch, "
        "intersects) or a modifier operator (e.g. startswith oneof)");
  CHECK(first_error(head + "    - name: e\n      fields: tolower(a.b)\n      comps: pmatch\n") ==
        "ok");
}

TEST_CASE("exceptions: appending values, new exceptions, warnings") {
  std::string base = "- rule: r\n  condition: a.b = 1\n" + std::string(kRule) +
                     "  exceptions:\n    - name: e\n      fields: [p.n]\n      values: [[x]]\n"
                     "    - name: e\n      fields: [p.n]\n";
  auto l = load(base +
                "- rule: r\n  exceptions:\n    - name: e\n      values: [[y]]\n"
                "    - name: f\n      fields: q.n\n      values: [z]\n"
                "  override:\n    exceptions: append\n"
                "- rule: r\n  exceptions:\n    - name: e\n  override:\n    exceptions: append\n");
  REQUIRE(l->result.successful);
  CHECK(l->result.has_warning(LoadCode::kExceptionNameNotUnique));
  CHECK(l->result.has_warning(LoadCode::kAppendNoValues));
  CHECK(cond_of(*l, "r") == "(a.b = 1 and not (p.n = x or p.n = y) and not q.n in (z))");
  CHECK(l->loader.resolved().rules[0].exception_fields == std::vector<std::string>{"p.n", "q.n"});
  CHECK(first_error(base + "- rule: r\n  exceptions:\n    - name: e\n      fields: [p.n]\n"
                           "      values: [[y]]\n  override:\n    exceptions: append\n") ==
        "LOAD_ERR_VALIDATE: Can not append exception fields to existing exception, only values");
  CHECK(first_error(base + "- rule: r\n  exceptions:\n    - name: g\n      values: [[y]]\n"
                           "  override:\n    exceptions: append\n") ==
        "LOAD_ERR_VALIDATE: Rule exception must have fields property with a list of fields");
  CHECK(first_error(base + "- rule: r\n  exceptions:\n    - name: g\n      fields: [p.n]\n"
                           "  override:\n    exceptions: append\n") ==
        "LOAD_ERR_VALIDATE: Rule exception must have values property with a list of values");
}

TEST_CASE("a stray ',' that would hang yaml-cpp is a parse error") {
  CHECK(first_error(",\n") ==
        "LOAD_ERR_YAML_PARSE: yaml-cpp: error at line 1, column 1: unexpected token where a "
        "document should start (a ',' outside any flow collection?)");
  CHECK(first_error("# c\n  , x\n").rfind("LOAD_ERR_YAML_PARSE", 0) == 0);
  // Found by rules_loader_fuzz: a '[' inside a plain scalar, then a ',' ending the block.
  CHECK(first_error("- require[_engine_version: 0.57.0\n, list: x\n")
            .rfind("LOAD_ERR_YAML_PARSE: yaml-cpp: error at line 2, column 1:", 0) == 0);
  CHECK(first_error("- macro: m\n  condition: a\n\"x\" ,\n").rfind("LOAD_ERR_YAML_PARSE", 0) == 0);
  CHECK(first_error("---\n---\n- list: l\n  items: [a]\n") == "ok");  // empty documents
  CHECK(first_error("- list: l\n  items: [a\n, b]\n") == "ok");       // inside a flow sequence
}
