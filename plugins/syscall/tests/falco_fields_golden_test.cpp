// Golden comparison against Falco 0.43.1: the real `saker -e` replays each shared capture
// with the catch-all rule of testdata/scap/falco-0.43.1-fields (52 syscall fields in its
// output) and JSON output; every alert is matched to Falco's (key: time, thread.tid,
// evt.type, in emission order) and every output_fields value compared, JSON type included
// (null, "<NA>" and "" are three different answers).
//
// The test prints a per-field table of differences (SAKER_GOLDEN_VERBOSE=FIELD lists every
// difference of that field, SAKER_GOLDEN_VERBOSE=all every difference) and fails on any
// difference outside kAllowed: the places where Falco is demonstrably wrong, each listed
// with its reason in ../README.md ("Deliberate differences from Falco 0.43").
#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

using nlohmann::json;

namespace {

const char* const kCaptures[] = {"cat_write", "curl_google", "single_ipv6_conn", "test_ipv6_client",
                                 "sample"};

std::string golden_dir() { return std::string(SAKER_TESTDATA_DIR) + "/scap/falco-0.43.1-fields"; }

// One allowed difference: the capture, the event (evt.num) and the field. See ../README.md.
struct Allowed {
  const char* capture;
  long evt_num;  // -1: every event of the capture
  const char* field;
};
const Allowed kAllowed[] = {
    // Both ends of the connection are addresses of the recording host (2001:db8::3 and ::4):
    // Falco takes the side whose address is local to be the local end, and picks the
    // client's. On the server's accepted socket (25886 fd 4) the local port is the listening
    // port 1234, as the accept tuple says; Falco reports the client's port 54405.
    {"single_ipv6_conn", 1145, "fd.lport"},
    {"single_ipv6_conn", 1145, "fd.rport"},
    {"single_ipv6_conn", 1338, "fd.lport"},
    {"single_ipv6_conn", 1338, "fd.rport"},
    {"single_ipv6_conn", 1529, "fd.lport"},
    {"single_ipv6_conn", 1529, "fd.rport"},
    // The same inference for fd.is_server: a socket whose server address is local counts as
    // a server end. These are client sockets (the process called connect() or sent first to
    // ::1:2345 / 2001:db8::3:1234); saker says false.
    {"single_ipv6_conn", 1146, "fd.is_server"},
    {"single_ipv6_conn", 1337, "fd.is_server"},
    {"test_ipv6_client", 201, "fd.is_server"},
    {"test_ipv6_client", 203, "fd.is_server"},
    {"test_ipv6_client", 204, "fd.is_server"},
    {"test_ipv6_client", 210, "fd.is_server"},
};

bool allowed(const std::string& capture, long evt_num, const std::string& field) {
  for (const auto& a : kAllowed) {
    if (capture == a.capture && field == a.field && (a.evt_num == -1 || a.evt_num == evt_num)) {
      return true;
    }
  }
  return false;
}

std::string key_of(const json& line) {
  const json& f = line.at("output_fields");
  return line.at("time").get<std::string>() + "|" + f.at("thread.tid").dump() + "|" +
         f.at("evt.type").dump();
}

std::vector<json> read_lines(FILE* in) {
  std::vector<json> out;
  std::string line;
  for (int ch; (ch = fgetc(in)) != EOF;) {
    if (ch != '\n') {
      line += static_cast<char>(ch);
      continue;
    }
    if (!line.empty() && line[0] == '{') out.push_back(json::parse(line));
    line.clear();
  }
  return out;
}

// A configuration of its own, so that the host's /etc/falco/falco.yaml plays no part: stdout
// alerts only, no container plugin (Falco's run had none either).
std::string config_file() {
  const auto path = std::filesystem::temp_directory_path() /
                    ("saker_golden_" + std::to_string(getpid()) + ".yaml");
  std::ofstream(path) << "stdout_output:\n  enabled: true\nload_plugins: []\n";
  return path.string();
}

std::vector<json> run_saker(const std::string& capture) {
  static const std::string config = config_file();
  const std::string cmd = std::string("'") + SAKER_GOLDEN_SAKER_BIN + "' -c '" + config + "' -e '" +
                          SAKER_TESTDATA_DIR + "/scap/" + capture + ".scap' -r '" + golden_dir() +
                          "/all_events_rule.yaml' -o json_output=true 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  REQUIRE(p);
  return read_lines(p.get());
}

std::vector<json> read_golden(const std::string& capture) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(
      fopen((golden_dir() + "/" + capture + ".jsonl").c_str(), "r"), fclose);
  REQUIRE(f);
  return read_lines(f.get());
}

// The rule's output format (all_events_rule.yaml: `output: "..."`).
std::string rule_output_format() {
  std::ifstream in(golden_dir() + "/all_events_rule.yaml");
  std::string line;
  while (std::getline(in, line)) {
    const auto k = line.find("output: \"");
    if (k != std::string::npos) return line.substr(k + 9, line.rfind('"') - (k + 9));
  }
  return "";
}

// Falco's text rendering of the format for one alert's output_fields: "<NA>" for no value.
std::string expected_text(const std::string& format, const json& fields) {
  std::string out;
  for (std::size_t i = 0; i < format.size();) {
    if (format[i] != '%') {
      out += format[i++];
      continue;
    }
    std::size_t j = i + 1;
    while (j < format.size() && format[j] != ' ') ++j;
    const json& v = fields.at(format.substr(i + 1, j - i - 1));
    out += v.is_null() ? "<NA>" : v.is_string() ? v.get<std::string>() : v.dump();
    i = j;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The text output without its "time: Priority " prefix.
std::string text_body(const json& alert) {
  std::string s = alert.at("output").get<std::string>();
  const auto k = s.find(": Informational ");
  s = k == std::string::npos ? s : s.substr(k + 16);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

struct FieldStats {
  long compared = 0, differ = 0, allowed = 0;
  std::string example;
};

}  // namespace

TEST_CASE(
    "syscall fields: every output_fields value equals Falco 0.43.1's on the shared captures") {
  const char* verbose_env = std::getenv("SAKER_GOLDEN_VERBOSE");
  const std::string verbose = verbose_env ? verbose_env : "";
  std::map<std::string, FieldStats> stats;
  long unallowed = 0, total_values = 0, text_differ = 0;
  const std::string format = rule_output_format();
  REQUIRE(!format.empty());
  for (const char* capture : kCaptures) {
    const std::string capture_name = capture;
    CAPTURE(capture_name);
    const auto golden = read_golden(capture);
    const auto ours = run_saker(capture);
    std::map<std::string, std::deque<const json*>> by_key;
    for (const auto& a : ours) by_key[key_of(a)].push_back(&a);
    long unmatched = 0;
    for (const auto& want : golden) {
      auto it = by_key.find(key_of(want));
      if (it == by_key.end() || it->second.empty()) {
        if (++unmatched <= 3) MESSAGE("no saker alert for Falco's " << want.dump());
        continue;
      }
      const json& got_alert = *it->second.front();
      const json& got_fields = got_alert.at("output_fields");
      it->second.pop_front();
      const json& want_fields = want.at("output_fields");
      const long evt_num = want_fields.value("evt.num", -1L);
      // The text output renders the same values (an allowed difference shows there too).
      bool any_allowed = false;
      for (const auto& [field, value] : want_fields.items()) {
        any_allowed |= got_fields.value(field, json()) != value && allowed(capture, evt_num, field);
      }
      if (!any_allowed && text_body(got_alert) != expected_text(format, want_fields)) {
        if (++text_differ <= 3) {
          MESSAGE("text output differs: saker " << text_body(got_alert) << "\n  falco "
                                                << expected_text(format, want_fields));
        }
      }
      for (const auto& [field, value] : want_fields.items()) {
        ++total_values;
        FieldStats& st = stats[field];
        ++st.compared;
        const json got = got_fields.contains(field) ? got_fields.at(field) : json("<absent>");
        if (got == value) continue;
        ++st.differ;
        const bool ok = allowed(capture, evt_num, field);
        if (ok) {
          ++st.allowed;
        } else {
          ++unallowed;
        }
        const std::string line = std::string(capture) + " #" + std::to_string(evt_num) + " " +
                                 want_fields.at("evt.type").get<std::string>() + " " + field +
                                 ": falco " + value.dump() + " saker " + got.dump();
        if (st.example.empty()) st.example = line;
        if (verbose == "all" || verbose == field) std::printf("  %s\n", line.c_str());
      }
    }
    long extra = 0;
    for (const auto& [key, rest] : by_key) extra += static_cast<long>(rest.size());
    std::printf("%s: Falco %zu alerts, saker %zu, unmatched %ld, saker-only %ld\n", capture,
                golden.size(), ours.size(), unmatched, extra);
    CHECK(unmatched == 0);
    CHECK(extra == 0);
  }
  long differ = 0;
  std::printf("%-22s %8s %8s %8s  first difference\n", "field", "values", "differ", "allowed");
  for (const auto& [field, st] : stats) {
    differ += st.differ;
    if (st.differ == 0) continue;
    std::printf("%-22s %8ld %8ld %8ld  %s\n", field.c_str(), st.compared, st.differ, st.allowed,
                st.example.substr(0, 160).c_str());
  }
  std::printf("total: %ld values, %ld differ (%.2f %%), %ld outside the allow-list\n", total_values,
              differ, total_values ? 100.0 * differ / total_values : 0.0, unallowed);
  std::printf("text output: %ld alerts differ from Falco's values rendered as text\n", text_differ);
  CHECK(total_values > 0);
  CHECK(unallowed == 0);
  CHECK(text_differ == 0);
  std::filesystem::remove(std::filesystem::temp_directory_path() /
                          ("saker_golden_" + std::to_string(getpid()) + ".yaml"));
}
