// Rules files through the whole pipeline (load, compile, index, evaluate, alert): the
// exception forms, override/append effects on evaluation, error codes and warnings,
// priority threshold, rules: selections, rule_matching, and explain.
#include "rule_set.h"

#include <doctest/doctest.h>

#include "rules/compiler/explain.h"
#include <algorithm>
#include <functional>
#include <random>

#include "rules/testing/rules_fixture.h"
#include "rule_engine.h"

using namespace saker::rules;
using saker::rules::testing::Fixture;

namespace {

struct Rig {
  Fixture f;
  RuleSetOptions set_options;
  RuleEngineOptions engine_options;
  std::unique_ptr<RuleSet> set;
  std::unique_ptr<RuleEngine> engine;
  LoadResult load(const std::string& yaml) {
    if (!set) set = std::make_unique<RuleSet>(f.host(), set_options);
    LoadResult r = set->load_content("rules.yaml", yaml);
    engine = std::make_unique<RuleEngine>(*set, engine_options);
    engine->activate();
    return r;
  }
  // Names of the rules that fire on one event.
  std::vector<std::string> fire(const saker_event* ev) {
    f.alerts.clear();
    saker::core::EventContext ctx(f.slots(), "syscall");
    ctx.begin(ev);
    engine->on_event(ctx);
    std::vector<std::string> out;
    for (const auto& a : f.alerts) out.push_back(a.rule);
    return out;
  }
};

std::string rule(const std::string& name, const std::string& cond, const std::string& extra = "",
                 const std::string& prio = "WARNING") {
  return "- rule: " + name + "\n  desc: d\n  condition: " + cond + "\n  output: \"" + name +
         " by %proc.name\"\n  priority: " + prio + "\n" + extra;
}

const saker_event* proc_event(Rig& r, const std::string& name, const std::string& file,
                              const std::string& type = "open") {
  auto b = r.f.builder();
  b.set("proc.name", name).set("fd.name", file).set("proc.cmdline", name + " " + file);
  return r.f.event(b, type);
}

}  // namespace

TEST_CASE("a rule fires with its output, priority, tags and time") {
  Rig r;
  auto res = r.load(rule("Shell opens", "evt.type = open and proc.name in (bash, sh)",
                         "  tags: [shell, b_tag]\n"));
  REQUIRE(res.successful);
  auto* ev = proc_event(r, "bash", "/etc/passwd");
  REQUIRE(r.fire(ev) == std::vector<std::string>{"Shell opens"});
  const auto& a = r.f.alerts[0];
  CHECK(a.message == "Shell opens by bash");
  CHECK(a.priority == saker::core::Priority::kWarning);
  CHECK(a.source == "syscall");
  CHECK(a.time == ev->ts);
  CHECK(a.tags == std::vector<std::string>{"b_tag", "shell"});
  REQUIRE(a.fields.size() == 1);
  CHECK(a.fields[0].name == "proc.name");
  CHECK(r.fire(proc_event(r, "bash", "/x", "execve")).empty());  // not in the open bucket
  CHECK(r.engine->matches("Shell opens") == 1);
  CHECK(r.f.metrics().value_of("rules_matches_total") == 1);
}

TEST_CASE("the index holds only the rules that can match an event type") {
  Rig r;
  r.load(rule("A", "evt.type in (open, openat) and proc.name = x") +
         rule("B", "evt.type = execve") + rule("C", "proc.name = y"));
  auto names = [&](const std::string& t) {
    std::vector<std::string> out;
    for (auto* c : r.engine->candidates("syscall", r.f.code(t))) out.push_back(c->info.name);
    return out;
  };
  CHECK(names("open") == std::vector<std::string>{"A", "C"});
  CHECK(names("execve") == std::vector<std::string>{"B", "C"});
  CHECK(names("connect") == std::vector<std::string>{"C"});
}

TEST_CASE("the event types a source's rules can match, for filtering at the source") {
  Rig r;
  r.load(rule("A", "evt.type in (open, openat) and proc.name = x") +
         rule("B", "evt.type = execve"));
  auto types = r.engine->interesting_types("syscall");
  REQUIRE(types.has_value());
  std::vector<uint16_t> want{r.f.code("open"), r.f.code("openat"), r.f.code("execve")};
  std::sort(want.begin(), want.end());
  CHECK(*types == want);
  CHECK(r.engine->interesting_types("k8s_audit") == std::vector<uint16_t>{});  // no rules
  Rig any;
  any.load(rule("A", "evt.type = open") + rule("C", "proc.name = y"));
  CHECK_FALSE(any.engine->interesting_types("syscall").has_value());  // C matches every type
}

TEST_CASE("lists, macros, quoted items and lists inside lists") {
  Rig r;
  auto res = r.load(
      "- list: shells\n  items: [bash, \"my shell\"]\n"
      "- list: all_bins\n  items: [shells, cat]\n"
      "- macro: opener\n  condition: evt.type = open\n" +
      rule("R", "opener and proc.name in (all_bins)"));
  REQUIRE(res.successful);
  CHECK(r.fire(proc_event(r, "my shell", "/a")) == std::vector<std::string>{"R"});
  CHECK(r.fire(proc_event(r, "cat", "/a")) == std::vector<std::string>{"R"});
  CHECK(r.fire(proc_event(r, "my", "/a")).empty());
}

TEST_CASE("exceptions in every form filter matches") {
  Rig r;
  auto res = r.load(rule("R", "evt.type = open",
                         "  exceptions:\n"
                         "    - name: pairs\n"
                         "      fields: [proc.name, fd.name]\n"
                         "      comps: [=, pmatch]\n"
                         "      values:\n"
                         "        - [nginx, /etc/nginx]\n"
                         "        - [apache, [/etc/httpd, /var/www]]\n"
                         "    - name: single\n"
                         "      fields: proc.name\n"
                         "      values: [cron, \"my daemon\"]\n"
                         "    - name: paths\n"
                         "      fields: fd.name\n"
                         "      comps: pmatch\n"
                         "      values: [/tmp/ok]\n"
                         "    - name: defcomp\n"
                         "      fields: [proc.name]\n"
                         "      values: [[sshd]]\n"));
  REQUIRE_MESSAGE(res.successful, res.to_text());
  CHECK(r.fire(proc_event(r, "nginx", "/etc/nginx/x.conf")).empty());
  CHECK(r.fire(proc_event(r, "nginx", "/etc/other")) == std::vector<std::string>{"R"});
  CHECK(r.fire(proc_event(r, "apache", "/var/www/index.html")).empty());
  CHECK(r.fire(proc_event(r, "cron", "/x")).empty());
  CHECK(r.fire(proc_event(r, "my daemon", "/x")).empty());
  CHECK(r.fire(proc_event(r, "vi", "/tmp/ok/file")).empty());
  CHECK(r.fire(proc_event(r, "sshd", "/x")).empty());
  CHECK(r.fire(proc_event(r, "vi", "/tmp/okx")) == std::vector<std::string>{"R"});
  CHECK(r.set->compiled().rules[0].exception_fields.size() >= 2);
}

TEST_CASE("override and append change what matches") {
  Rig r;
  auto res = r.load(
      "- list: bins\n  items: [bash]\n" + rule("R", "evt.type = open and proc.name in (bins)") +
      "- list: bins\n  items: [zsh]\n  override:\n    items: append\n"
      "- rule: R\n  condition: or proc.name = fish\n  override:\n    condition: append\n"
      "- rule: R\n  output: \"replaced %fd.name\"\n  override:\n    output: replace\n"
      "- rule: R\n  exceptions:\n    - name: e\n      fields: [fd.name]\n      values: [[/ok]]\n"
      "  override:\n    exceptions: append\n");
  REQUIRE_MESSAGE(res.successful, res.to_text());
  CHECK(r.fire(proc_event(r, "zsh", "/x")) == std::vector<std::string>{"R"});
  CHECK(r.f.alerts[0].message == "replaced /x");
  CHECK(r.fire(proc_event(r, "fish", "/x", "execve")) == std::vector<std::string>{"R"});
  CHECK(r.fire(proc_event(r, "zsh", "/ok")).empty());
  CHECK(r.fire(proc_event(r, "sh", "/x")).empty());
}

TEST_CASE("legacy append and enabled override") {
  Rig r;
  auto res = r.load(rule("R", "proc.name = a") +
                    "- rule: R\n  condition: or proc.name = b\n  append: true\n" +
                    rule("Off", "proc.name = c", "  enabled: false\n") +
                    "- rule: Off\n  enabled: true\n  override:\n    enabled: replace\n");
  REQUIRE(res.successful);
  CHECK(res.has_warning(LoadCode::kDeprecatedItem));
  CHECK(r.fire(proc_event(r, "b", "/x")) == std::vector<std::string>{"R"});
  CHECK(r.fire(proc_event(r, "c", "/x")) == std::vector<std::string>{"Off"});
}

TEST_CASE("compile errors and warnings carry Falco's codes") {
  auto first_error = [](const std::string& yaml) {
    Rig r;
    auto res = r.load(yaml);
    return res.errors.empty()
               ? std::string()
               : std::string(code_name(res.errors[0].code)) + ": " + res.errors[0].message;
  };
  CHECK(first_error(rule("R", "proc.nobody = x")) ==
        "LOAD_ERR_COMPILE_CONDITION: filter_check called with nonexistent field proc.nobody");
  CHECK(first_error(rule("R", "t.num contains 1")).find("LOAD_ERR_COMPILE_CONDITION") == 0);
  CHECK(first_error(rule("R", "evt.type = bogus")) ==
        "LOAD_ERR_COMPILE_CONDITION: unknown event type bogus");
  CHECK(
      first_error("- rule: R\n  desc: d\n  condition: proc.name = a\n  output: \"x %proc.nobody\"\n"
                  "  priority: INFO\n")
          .find("LOAD_ERR_COMPILE_OUTPUT: unknown filter:") == 0);
  CHECK(first_error("- rule: R\n  desc: d\n  condition: proc.name = a\n  output: \"100%\"\n"
                    "  priority: INFO\n")
            .find("LOAD_ERR_COMPILE_OUTPUT") == 0);

  Rig r;
  auto res = r.load(rule("Skipped", "proc.nobody = x", "  skip-if-unknown-filter: true\n") +
                    rule("Kept", "proc.name = x") + rule("Wide", "proc.name = y") +
                    rule("Narrow", "not evt.type in (open) and proc.name = z") +
                    rule("Misuse", "proc.name = proc.pname and evt.type = open"));
  REQUIRE(res.successful);
  CHECK(res.has_warning(LoadCode::kUnknownFilter));
  CHECK(res.has_warning(LoadCode::kNoEvttype));
  CHECK(res.has_warning(LoadCode::kCompileCondition));
  CHECK(r.set->find("Skipped") == nullptr);
  CHECK(r.set->find("Kept") != nullptr);
  size_t no_evttype = 0;
  for (const auto& w : res.warnings) no_evttype += w.code == LoadCode::kNoEvttype;
  CHECK(no_evttype == 3);  // Kept, Wide, Narrow (one type excluded is still > 100)
}

TEST_CASE("rules without restriction on non-syscall sources do not warn") {
  Rig r;
  auto res = r.load(
      "- rule: K\n  desc: d\n  condition: ka.verb = create\n  output: \"%ka.user.name\"\n"
      "  priority: INFO\n  source: k8s_audit\n");
  REQUIRE(res.successful);
  CHECK_FALSE(res.has_warning(LoadCode::kNoEvttype));
}

TEST_CASE("priority threshold, rules: selections and rule_matching") {
  const std::string yaml = rule("A net", "evt.type = open", "  tags: [net]\n", "ERROR") +
                           rule("B file", "evt.type = open", "  tags: [file]\n", "NOTICE") +
                           rule("C file", "evt.type = open", "  tags: [file]\n", "DEBUG");
  {
    Rig r;
    r.load(yaml);
    CHECK(r.fire(proc_event(r, "x", "/x")) == std::vector<std::string>{"A net"});
  }
  {
    Rig r;
    r.engine_options.match_all = true;
    r.load(yaml);
    CHECK(r.fire(proc_event(r, "x", "/x")) ==
          std::vector<std::string>{"A net", "B file", "C file"});
  }
  {
    Rig r;
    r.engine_options.match_all = true;
    r.set_options.min_priority = saker::core::Priority::kNotice;
    r.load(yaml);
    CHECK(r.fire(proc_event(r, "x", "/x")) == std::vector<std::string>{"A net", "B file"});
  }
  {
    Rig r;
    r.engine_options.match_all = true;
    r.set_options.selections = {{false, std::string("*"), std::nullopt},
                                {true, std::nullopt, std::string("file")},
                                {false, std::string("C*"), std::nullopt}};
    r.load(yaml);
    CHECK(r.fire(proc_event(r, "x", "/x")) == std::vector<std::string>{"B file"});
  }
}

TEST_CASE("append_output adds text and extra fields") {
  Rig r;
  AppendOutput a;
  a.source = "syscall";
  a.tags = {"net"};
  a.extra_output = "file=%fd.name";
  a.extra_fields = {{"fd.name", "fd.name"}, {"who", "user %proc.name"}};
  r.set_options.append_output = {a};
  r.load(rule("R", "evt.type = open", "  tags: [net]\n"));
  r.fire(proc_event(r, "x", "/etc/x"));
  REQUIRE(r.f.alerts.size() == 1);
  CHECK(r.f.alerts[0].message == "R by x file=/etc/x");
  bool who = false;
  for (const auto& f : r.f.alerts[0].fields) who = who || (f.name == "who" && f.json == "user x");
  CHECK(who);
}

TEST_CASE("wildcards") {
  CHECK(wildcard_match("*", "anything"));
  CHECK(wildcard_match("Write below*", "Write below etc"));
  CHECK(wildcard_match("*below*", "Write below etc"));
  CHECK_FALSE(wildcard_match("below*", "Write below etc"));
  CHECK(wildcard_match("exact", "exact"));
}

TEST_CASE("explain shows every sub-expression with its value") {
  Rig r;
  r.load(rule(
      "R",
      "evt.type = open and (proc.name = sh or proc.name = bash) and not fd.name startswith /tmp"));
  auto* ev = proc_event(r, "bash", "/tmp/x");
  saker::core::EventContext ctx(r.f.slots(), "syscall");
  ctx.begin(ev);
  ExplainNode n = explain(*r.set->find("R")->expr, ctx);
  CHECK_FALSE(n.value);
  REQUIRE(n.children.size() == 3);
  CHECK(n.children[1].value);
  CHECK(n.children[1].children[0].value == false);
  CHECK(n.children[1].children[1].decisive);
  CHECK(n.children[2].decisive);
  std::string text = explain_text(n);
  CHECK(text.find("[false] and") == 0);
  CHECK(text.find("[true ] proc.name = bash   (proc.name=bash)") != std::string::npos);
  CHECK(text.find("fd.name startswith /tmp   (fd.name=/tmp/x)") != std::string::npos);
  auto j = explain_json(n);
  CHECK(j["kind"] == "and");
  CHECK(j["children"][2]["children"][0]["fields"]["fd.name"] == "/tmp/x");
}

TEST_CASE("a context kept across engines, re-activations and sources") {
  Rig r;
  r.engine_options.match_all = true;
  r.load(rule("A", "proc.name = bash"));
  auto* ev = proc_event(r, "bash", "/etc/passwd");
  saker::core::EventContext ctx(r.f.slots(), "syscall");
  auto fire = [&](RuleEngine& e, saker::core::EventContext& c) {
    r.f.alerts.clear();
    c.begin(ev);
    e.on_event(c);
    std::vector<std::string> out;
    for (const auto& a : r.f.alerts) out.push_back(a.rule);
    return out;
  };
  CHECK(fire(*r.engine, ctx) == std::vector<std::string>{"A"});
  // More rules, the same engine activated again: the context's cached index is stale.
  r.set->load_content("more.yaml", rule("B", "fd.name startswith /etc"));
  r.engine->activate();
  CHECK(fire(*r.engine, ctx) == std::vector<std::string>{"A", "B"});
  // A second engine on the same context, then the first again.
  RuleEngine other(*r.set, r.engine_options);
  other.activate();
  CHECK(fire(other, ctx) == std::vector<std::string>{"A", "B"});
  CHECK(fire(*r.engine, ctx) == std::vector<std::string>{"A", "B"});
  // A context of a source without rules.
  saker::core::EventContext k8s(r.f.slots(), "k8s_audit");
  CHECK(fire(*r.engine, k8s).empty());
}

// Random rules built from a few checks that recur across rules (what macros make, and what
// the engine shares and threads jumps over), run with rule_matching=all on every
// combination of field values: the rules that fire are exactly those whose condition the
// tree evaluator finds true, in file order.
TEST_CASE("rules sharing checks fire exactly as their conditions say") {
  const std::vector<std::string> atoms = {
      "proc.name = bash",        "proc.name in (bash, sh)",  "proc.name = nginx",
      "fd.name startswith /etc", "fd.name contains ssh",     "t.num > 10",
      "t.num = 42",              "evt.type in (open, openat)", "fd.name = /tmp/x"};
  std::mt19937 rng(7);
  std::function<std::string(int)> gen = [&](int depth) -> std::string {
    const unsigned r = rng() % 10;
    if (depth == 0 || r < 4) return atoms[rng() % atoms.size()];
    if (r < 5) return "not (" + gen(depth - 1) + ")";
    std::string out = "(" + gen(depth - 1);
    const std::string op = r < 8 ? " and " : " or ";
    for (unsigned k = 0, n = 1 + rng() % 2; k < n; ++k) out += op + gen(depth - 1);
    return out + ")";
  };
  for (int round = 0; round < 40; ++round) {
    std::vector<std::string> conds;
    std::string yaml;
    for (int i = 0; i < 10; ++i) {
      conds.push_back(gen(3));
      yaml += rule("R" + std::to_string(i), conds.back());
    }
    Rig r;
    r.engine_options.match_all = true;
    r.load(yaml);
    for (const char* name : {"bash", "sh", "nginx", "cat"}) {
      for (const char* file : {"/etc/shadow", "/home/u/.ssh/id", "/tmp/x", "/etc/ssh/x"}) {
        for (const char* num : {"5", "42", "100"}) {
          auto b = r.f.builder();
          b.set("proc.name", name).set("fd.name", file).set("t.num", num);
          const saker_event* ev = r.f.event(b, "open");
          std::vector<std::string> want;
          for (size_t i = 0; i < conds.size(); ++i) {
            if (r.f.eval(conds[i], ev)) want.push_back("R" + std::to_string(i));
          }
          CHECK_MESSAGE(r.fire(ev) == want, yaml);
        }
      }
    }
  }
}
