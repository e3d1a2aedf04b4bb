// File replay through the real core: libk8saudit.so loaded by core::Engine, the
// Panther events read from JSON lines (and gzip'd arrays), fields rendered by the
// core's OutputFormat and checked against an independent reading of the same JSON.
#include <doctest/doctest.h>
#include <zlib.h>

#include <nlohmann/json.hpp>

#include "k8s_test_util.h"
#include "test_util.h"

using namespace saker;
using namespace saker::k8stest;

namespace {

struct FileRun {
  std::vector<std::string> lines;
  uint64_t file_events = 0, file_malformed = 0;
};

FileRun run_file(const std::string& params, const std::string& format) {
  FileRun r;
  r.lines = replay_file(params, format, &r.file_events, &r.file_malformed);
  return r;
}

std::string pointer_text(const nlohmann::json& j, const char* ptr) {
  nlohmann::json::json_pointer p(ptr);
  if (!j.contains(p) || j.at(p).is_null()) return "<NA>";
  const auto& v = j.at(p);
  return v.is_string() ? v.get<std::string>() : v.dump();
}

}  // namespace

TEST_CASE("Panther events from a JSON lines file: every event, fields match the JSON") {
  const char* ptrs[] = {"/user/username",
                        "/verb",
                        "/objectRef/resource",
                        "/objectRef/name",
                        "/objectRef/namespace",
                        "/responseStatus/code",
                        "/auditID",
                        "/stage",
                        "/requestObject/roleRef/name",
                        "/userAgent"};
  auto run = run_file("file://" + panther_path(),
                      "%ka.user.name|%ka.verb|%ka.target.resource|%ka.target.name|"
                      "%ka.target.namespace|%ka.response.code|%ka.auditid|%ka.stage|"
                      "%ka.req.binding.role|%ka.useragent");
  auto src = panther_lines();
  REQUIRE(src.size() == 188);
  REQUIRE(run.lines.size() == 188);
  CHECK(run.file_events == 188);
  CHECK(run.file_malformed == 0);
  for (size_t i = 0; i < src.size(); ++i) {
    auto j = nlohmann::json::parse(src[i]);
    std::string expect;
    for (const char* p : ptrs) expect += (expect.empty() ? "" : "|") + pointer_text(j, p);
    CHECK_MESSAGE(run.lines[i] == expect, "event ", i);
  }
}

TEST_CASE("Panther events: times from stageTimestamp, pod and role fields") {
  auto run = run_file(panther_path(),
                      "%evt.rawtime|%ka.req.pod.containers.image|%ka.req.role.rules.verbs|"
                      "%ka.req.pod.containers.privileged");
  REQUIRE(run.lines.size() == 188);
  // No stageTimestamp: requestReceivedTimestamp "2022-11-29 00:09:04.38".
  CHECK(run.lines[0].substr(0, 20) == "1669680544380000000|");
  auto src = panther_lines();
  size_t staged = 0;
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i].find(R"("stageTimestamp":"2024-11-13 18:34:10.595494000")") == std::string::npos) {
      continue;
    }
    CHECK(run.lines[i].substr(0, 20) == "1731522850595494000|");
    ++staged;
  }
  CHECK(staged > 0);
  size_t with_images = 0, with_verbs = 0, privileged = 0;
  for (const auto& l : run.lines) {
    with_images += l.find("|<NA>|") == std::string::npos || l.find("|(") != std::string::npos;
    with_verbs += l.find("|(get") != std::string::npos || l.find(",get") != std::string::npos;
    privileged += l.find("(true") != std::string::npos;
  }
  CHECK(with_images > 30);
  CHECK(privileged > 0);
  (void)with_verbs;
}

TEST_CASE("a gzip'd EventList and array file gives the same values as the JSON lines file") {
  test::TempDir dir;
  auto src = panther_lines();
  auto gz_path = (dir.path() / "audit.json.gz").string();
  gzFile f = gzopen(gz_path.c_str(), "wb");
  std::string doc = event_list(src, 0, 100) + "\n  this line is garbage\n[\n";
  for (size_t i = 100; i < src.size(); ++i) doc += (i > 100 ? ",\n  " : "  ") + src[i];
  doc += "\n]\n";
  gzwrite(f, doc.data(), static_cast<unsigned>(doc.size()));
  gzclose(f);
  auto plain = run_file("file://" + panther_path(), kCompareFormat);
  auto gz = run_file("file://" + gz_path, kCompareFormat);
  REQUIRE(plain.lines.size() == 188);
  CHECK(gz.lines == plain.lines);
  CHECK(gz.file_events == 188);
  CHECK(gz.file_malformed == 1);
}

TEST_CASE("opening a missing file fails with a message, not a crash") {
  auto e = test::make_engine();
  e->plugins().load({"k8s", "libk8saudit.so", "", "/nonexistent/audit.jsonl"});
  e->register_fields();
  std::atomic<bool> stop{false};
  CHECK_THROWS(e->run({"k8s_audit"}, stop));
}
