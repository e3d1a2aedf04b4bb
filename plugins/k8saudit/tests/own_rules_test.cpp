// saker's own rules/k8s_audit_rules.yaml end to end: it loads with no error or warning;
// for every rule, a crafted audit event (tests/data/rule_cases.jsonl, "<case>-pos")
// POSTed over HTTPS on loopback to the webhook, through the real core (rule engine,
// capture output), raises exactly that rule with the event's values in the output
// fields, and its negative twin ("<case>-neg") raises nothing; the same events replayed
// from a file, plain and gzip, raise identical alerts. The Panther events go the same
// two ways and must agree too.
#include <doctest/doctest.h>
#include <httplib.h>
#include <zlib.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "k8s_test_util.h"
#include "rules/runtime/rule_engine.h"
#include "test_util.h"

using namespace saker;
using namespace saker::k8stest;

namespace {

const std::string kRulesFile = SAKER_K8S_RULES_FILE;
const std::string kCasesFile = std::string(SAKER_K8S_TESTDATA) + "/rule_cases.jsonl";

struct Alert {
  std::string rule, priority, text;
  std::map<std::string, std::string> fields;
  bool operator<(const Alert& o) const {
    return std::tie(rule, text, fields) < std::tie(o.rule, o.text, o.fields);
  }
  bool operator==(const Alert& o) const {
    return rule == o.rule && priority == o.priority && text == o.text && fields == o.fields;
  }
};

std::vector<std::string> read_jsonl(const std::string& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(l);
  }
  return out;
}

// The engine with k8saudit (`init`, `params`), the capture output and our rules, all
// matches alerting. `feed` runs while the engine runs (webhook) and returns how many
// events to wait for; for a file the engine ends by itself.
std::vector<Alert> run_rules(const std::string& init, const std::string& params,
                             const std::function<size_t()>& feed = nullptr) {
  test::TempDir dir;
  {  // destroyed in reverse order before the alerts are read: the output is closed
    auto e = test::make_engine();
    e->plugins().load({"k8s", "libk8saudit.so", init, params});
    auto& out = e->plugins().load({"cap", "libcapture_output.so", "", ""});
    e->register_fields();
    e->open_output(out, (dir.path() / "alerts.jsonl").string());
    rules::RuleSet set(rules::engine_host(*e), {});
    auto res = set.load_file(kRulesFile);
    REQUIRE_MESSAGE(res.successful, res.to_text());
    rules::RuleEngineOptions all;
    all.match_all = true;
    rules::RuleEngine engine(set, all);
    engine.activate();
    e->set_sink(&engine);
    if (feed) {
      Runner runner(*e);
      size_t n = feed();
      auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (e->metrics().value_of("source_k8s_audit_num_evts") < n &&
             std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      CHECK(e->metrics().value_of("source_k8s_audit_num_evts") == n);
      runner.stop();
    } else {
      std::atomic<bool> stop{false};
      e->run({"k8s_audit"}, stop);
    }
  }
  std::vector<Alert> alerts;
  for (const auto& l : test::read_lines(dir.path() / "alerts.jsonl")) {
    auto j = nlohmann::json::parse(l);
    Alert a{j["rule"], j["priority"].dump(), j["text"], {}};
    for (auto& [k, v] : j["fields"].items())
      a.fields[k] = v.is_string() ? v.get<std::string>() : v.dump();
    alerts.push_back(std::move(a));
  }
  return alerts;
}

// POSTs `events` to the HTTPS webhook: singles first, then the rest as EventLists of
// `per_list`, checking each answer.
size_t post_all(int port, const TlsFiles& tls, const std::vector<std::string>& events,
                size_t singles, size_t per_list) {
  httplib::Client cli("https://127.0.0.1:" + std::to_string(port));
  cli.set_ca_cert_path(tls.cert.c_str());
  cli.enable_server_certificate_verification(true);
  cli.set_keep_alive(true);
  cli.set_connection_timeout(std::chrono::seconds(10));
  cli.set_read_timeout(std::chrono::seconds(30));
  auto post = [&](const std::string& body) {
    for (int i = 0;; ++i) {  // the engine may still be opening the source
      auto r = cli.Post("/k8s-audit", body, "application/json");
      if (r || i > 200) {
        REQUIRE(r);
        CHECK(r->status == 200);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  };
  size_t i = 0;
  for (; i < singles && i < events.size(); ++i) post(events[i]);
  for (; i < events.size(); i += per_list) post(event_list(events, i, i + per_list));
  return events.size();
}

std::string webhook_init(int port, const TlsFiles& tls) {
  return nlohmann::json{{"listen", "127.0.0.1:" + std::to_string(port)},
                        {"ssl_certificate", tls.cert},
                        {"ssl_key", tls.key}}
      .dump();
}

std::vector<Alert> over_https(const std::vector<std::string>& events, size_t singles,
                              size_t per_list) {
  test::TempDir dir;
  TlsFiles tls = make_cert(dir.path(), "server");
  int port = free_port();
  return run_rules(webhook_init(port, tls), "",
                   [&] { return post_all(port, tls, events, singles, per_list); });
}

void write_gzip(const std::filesystem::path& path, const std::string& text) {
  gzFile gz = gzopen(path.c_str(), "wb");
  REQUIRE(gz != nullptr);
  REQUIRE(gzwrite(gz, text.data(), static_cast<unsigned>(text.size())) ==
          static_cast<int>(text.size()));
  REQUIRE(gzclose(gz) == Z_OK);
}

// What each positive case must raise: the rule and values of its output fields.
struct Expected {
  std::string rule;
  std::map<std::string, std::string> fields;
};

const std::map<std::string, Expected>& expected_alerts() {
  static const std::map<std::string, Expected> m = {
      {"priv-pos",
       {"Privileged Container Requested",
        {{"ka.user.name", "alice@example.com"},
         {"ka.target.name", "net-tuner"},
         {"ka.target.namespace", "payments"},
         {"ka.req.pod.containers.image", "(registry.example.com/shop/api:2.4.1)"}}}},
      {"hostnet-pos",
       {"Pod Joins Host Network",
        {{"ka.target.name", "sniffer"},
         {"ka.target.namespace", "default"},
         {"ka.sourceips", "(10.20.0.7)"}}}},
      {"hostpid-pos",
       {"Pod Joins Host PID Namespace",
        {{"ka.user.name", "bob@example.com"}, {"ka.target.name", "top-all"}}}},
      {"hostipc-pos",
       {"Pod Joins Host IPC Namespace",
        {{"ka.target.name", "shm-reader"}, {"ka.target.namespace", "batch"}}}},
      {"hostpath-pos",
       {"Pod Mounts Sensitive Host Path",
        {{"ka.target.name", "docker-builder"},
         {"ka.req.pod.volumes.hostpath", "(/var/run/docker.sock)"}}}},
      {"exec-pos",
       {"Exec Or Attach Into Pod",
        {{"ka.target.subresource", "exec"},
         {"ka.target.name", "api-7d9f8-xk2lq"},
         {"ka.uri.param[command]", "sh"},
         {"ka.uri.param[container]", "api"},
         {"ka.response.code", "101"}}}},
      {"pf-pos",
       {"Port Forward To Pod",
        {{"ka.user.name", "bob@example.com"},
         {"ka.target.name", "postgres-0"},
         {"ka.uri.param[ports]", "5432"}}}},
      {"ephem-pos",
       {"Debug Container Injected Into Pod",
        {{"ka.user.name", "carol@example.com"},
         {"ka.req.pod.ephemeralContainers.image", "(docker.io/nicolaka/netshoot:v0.12)"}}}},
      {"nodeproxy-pos",
       {"Node Proxy Access",
        {{"ka.target.name", "worker-3"}, {"ka.uri", "/api/v1/nodes/worker-3/proxy/runningpods/"}}}},
      {"crb-pos",
       {"Binding To Cluster Admin",
        {{"ka.target.name", "ci-deployer-admin"},
         {"ka.target.resource", "clusterrolebindings"},
         {"ka.req.binding.subjects",
          R"(({"kind":"ServiceAccount","name":"deployer","namespace":"ci"}))"}}}},
      {"wild-pos",
       {"Role Grants Wildcard Access",
        {{"ka.target.name", "ops-everything"},
         {"ka.req.role.rules.verbs", "(get,list,*)"},
         {"ka.req.role.rules.resources", "(pods,services,*)"}}}},
      {"sa-pos",
       {"Service Account Created In System Namespace",
        {{"ka.user.name", "dave@example.com"},
         {"ka.target.name", "backup-agent"},
         {"ka.target.namespace", "kube-system"}}}},
      {"csr-pos",
       {"Certificate Signing Request Approved By User",
        {{"ka.user.name", "dave@example.com"}, {"ka.target.name", "eve-client"}}}},
      {"secret-pos",
       {"Secret Read By User",
        {{"ka.user.name", "erin@example.com"},
         {"ka.target.name", "db-credentials"},
         {"ka.user.groups", "(developers,system:authenticated)"}}}},
      {"cm-pos",
       {"ConfigMap Holds Credentials",
        {{"ka.target.name", "checkout-settings"}, {"ka.user.name", "frank@example.com"}}}},
      {"anon-pos",
       {"Unauthenticated Request Allowed",
        {{"ka.user.name", "system:anonymous"},
         {"ka.uri", "/api/v1/namespaces/kube-system/configmaps"},
         {"ka.sourceips", "(203.0.113.50)"}}}},
      {"imp-pos",
       {"Request Made By Impersonation",
        {{"ka.user.name", "grace@example.com"},
         {"ka.impuser.name", "system:serviceaccount:payments:api"}}}},
      {"nodeport-pos",
       {"NodePort Service Exposed",
        {{"ka.target.name", "storefront-debug"},
         {"ka.req.service.ports",
          R"(({"name":"http","nodePort":30080,"port":80,"protocol":"TCP","targetPort":8080}))"}}}},
      {"events-pos",
       {"Cluster Events Deleted",
        {{"ka.target.namespace", "payments"}, {"ka.verb", "deletecollection"}}}},
      {"admission-pos",
       {"Admission Or Audit Control Removed",
        {{"ka.target.resource", "validatingwebhookconfigurations"},
         {"ka.target.name", "policy-guard"}}}},
  };
  return m;
}

}  // namespace

TEST_CASE("rules/k8s_audit_rules.yaml loads with no error and no warning") {
  auto e = test::make_engine();
  e->plugins().load({"k8s", "libk8saudit.so", "", "file://" + kCasesFile});
  e->register_fields();
  rules::RuleSet set(rules::engine_host(*e), {});
  auto res = set.load_file(kRulesFile);
  REQUIRE_MESSAGE(res.successful, res.to_text());
  CHECK_MESSAGE(res.errors.empty(), res.to_text());
  CHECK_MESSAGE(res.warnings.empty(), res.to_text());
  rules::RuleEngine engine(set, {});
  engine.activate();
  CHECK(engine.num_active() == expected_alerts().size());
}

TEST_CASE("each rule fires on its case over HTTPS, never on its twin; files agree") {
  auto events = read_jsonl(kCasesFile);
  REQUIRE(events.size() == 2 * expected_alerts().size());
  std::set<std::string> ids;
  for (const auto& ev : events) ids.insert(nlohmann::json::parse(ev)["auditID"]);
  for (const auto& [id, exp] : expected_alerts()) {
    CHECK_MESSAGE(ids.count(id), id);
    CHECK_MESSAGE(ids.count(id.substr(0, id.size() - 4) + "-neg"), id);
  }

  auto webhook = over_https(events, 10, 15);              // 10 single Events, then EventLists
  std::map<std::string, std::vector<std::string>> fired;  // audit id -> rules
  for (const auto& a : webhook) {
    REQUIRE(a.fields.count("ka.auditid"));
    fired[a.fields.at("ka.auditid")].push_back(a.rule);
  }
  for (const auto& [id, exp] : expected_alerts()) {
    CHECK_MESSAGE(fired[id] == std::vector<std::string>{exp.rule}, id);
  }
  for (const auto& [id, rules_hit] : fired) {
    CHECK_MESSAGE(expected_alerts().count(id), id, " fired ", rules_hit.size(), " rule(s), first ",
                  rules_hit.empty() ? "" : rules_hit[0]);
  }
  CHECK(webhook.size() == expected_alerts().size());
  for (const auto& a : webhook) {
    auto it = expected_alerts().find(a.fields.count("ka.auditid") ? a.fields.at("ka.auditid") : "");
    if (it == expected_alerts().end()) continue;
    for (const auto& [field, value] : it->second.fields) {
      CHECK_MESSAGE(a.fields.count(field), it->first, ": ", field);
      if (a.fields.count(field)) CHECK_MESSAGE(a.fields.at(field) == value, it->first, ": ", field);
    }
  }

  test::TempDir dir;
  std::string text;
  for (const auto& ev : events) text += ev + "\n";
  auto plain = dir.path() / "cases.jsonl";
  std::ofstream(plain) << text;
  auto gz = dir.path() / "cases.json.gz";
  write_gzip(gz, event_list(events, 0, events.size()));
  auto from_plain = run_rules("", "file://" + plain.string());
  auto from_gzip = run_rules("", "file://" + gz.string());
  std::sort(webhook.begin(), webhook.end());
  std::sort(from_plain.begin(), from_plain.end());
  std::sort(from_gzip.begin(), from_gzip.end());
  CHECK(from_plain == webhook);
  CHECK(from_gzip == webhook);
}

TEST_CASE("the Panther events raise the same alerts over HTTPS and from the file") {
  auto lines = panther_lines();
  auto webhook = over_https(lines, 20, 100);
  auto file = run_rules("", "file://" + panther_path());
  std::map<std::string, int> by_rule;
  for (const auto& a : file) by_rule[a.rule]++;
  for (const auto& [rule, n] : by_rule) MESSAGE(rule, ": ", n);
  // Some Panther events carry no timestamp: their time (in the alert text) is when they
  // were received or read, which differs; everything else must be identical.
  for (auto* v : {&webhook, &file}) {
    for (auto& a : *v) a.text.clear();
    std::sort(v->begin(), v->end());
  }
  CHECK(webhook.size() == file.size());
  CHECK(webhook == file);
  // What the Panther set holds (checked by reading the events: 15 exec requests, 8
  // secret reads by users, the anonymous requests other than /healthz...).
  const std::map<std::string, int> expected = {
      {"Binding To Cluster Admin", 3},       {"Exec Or Attach Into Pod", 15},
      {"NodePort Service Exposed", 1},       {"Pod Joins Host IPC Namespace", 1},
      {"Pod Joins Host Network", 1},         {"Pod Joins Host PID Namespace", 1},
      {"Pod Mounts Sensitive Host Path", 1}, {"Privileged Container Requested", 1},
      {"Role Grants Wildcard Access", 6},    {"Secret Read By User", 8},
      {"Unauthenticated Request Allowed", 2}};
  CHECK(by_rule == expected);
}
