// Hostile rules files (issue: bounded memory and time on every input): each case loads a
// small file built to explode, and checks the loader refuses it with an error naming the
// cause, within a time bound, and that the process's peak memory stays bounded.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "rules/loader/rules_loader.h"

using namespace saker::rules;

namespace {

std::string rule(const std::string& cond) {
  return "- rule: r\n  desc: d\n  condition: " + cond + "\n  output: o\n  priority: INFO\n";
}

// Peak resident memory of this process so far, in MiB (VmHWM).
long peak_rss_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

struct Timed {
  LoadResult result;
  double seconds;
};

Timed load(const std::string& content) {
  auto t0 = std::chrono::steady_clock::now();
  RulesLoader loader;
  LoadResult r = loader.load_content("hostile.yaml", content);
  return {r, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()};
}

std::string first_error(const LoadResult& r) {
  return r.errors.empty() ? std::string() : r.errors[0].message;
}

}  // namespace

TEST_CASE("macros that double at every level stop at the expansion budget") {
  std::string y = "- macro: e0\n  condition: evt.num = 1\n";
  for (int i = 1; i <= 30; ++i) {
    y += "- macro: e" + std::to_string(i) + "\n  condition: (e" + std::to_string(i - 1) +
         " or e" + std::to_string(i - 1) + ")\n";
  }
  auto t = load(y + rule("e30"));
  CHECK_FALSE(t.result.successful);
  CHECK(first_error(t.result).find("grows past") != std::string::npos);
  CHECK(first_error(t.result).find("macro 'e") != std::string::npos);
  CHECK(t.seconds < 5.0);
  CHECK(peak_rss_mib() < 1024);
}

TEST_CASE("a 20000-deep macro chain resolves in linear time") {
  std::string y = "- macro: c0\n  condition: evt.num = 1\n";
  for (int i = 1; i <= 20000; ++i) {
    y += "- macro: c" + std::to_string(i) + "\n  condition: c" + std::to_string(i - 1) + "\n";
  }
  auto t = load(y + rule("c20000 and evt.num = 2"));
  CHECK_MESSAGE(t.result.successful, first_error(t.result));
  CHECK(t.seconds < 10.0);  // was 44 s (quadratic symbol tables)
}

TEST_CASE("macros nesting deeper than the bound are refused, not a stack overflow") {
  std::string y = "- macro: w0\n  condition: evt.num = 1\n";
  for (int i = 1; i <= 3000; ++i) {
    y += "- macro: w" + std::to_string(i) + "\n  condition: (w" + std::to_string(i - 1) +
         " and evt.num > " + std::to_string(i) + ")\n";
  }
  auto t = load(y + rule("w3000"));
  CHECK_FALSE(t.result.successful);
  CHECK(first_error(t.result).find("levels deep") != std::string::npos);
  CHECK(t.seconds < 10.0);
}

TEST_CASE("YAML aliases repeated inside each other are refused before they are walked") {
  std::string anchors = "        - [&a0 [x, y, z, w]]\n";
  for (int i = 1; i <= 8; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    std::string items = prev;
    for (int k = 1; k < 10; ++k) items += ", " + prev;
    anchors += "        - [&a" + std::to_string(i) + " [" + items + "]]\n";
  }
  std::string y = rule("evt.type = open") +
                  "  exceptions:\n    - name: e\n      fields: [proc.name]\n      comps: [in]\n"
                  "      values:\n" + anchors;
  auto t = load(y);
  CHECK_FALSE(t.result.successful);
  CHECK(first_error(t.result).find("aliases") != std::string::npos);
  CHECK(t.seconds < 5.0);  // was 40 s and 8 GB
  CHECK(peak_rss_mib() < 1024);
}

TEST_CASE("devices and oversized files are refused before they are read") {
  RulesLoader loader;
  LoadResult dev = loader.load_file("/dev/zero");
  CHECK_FALSE(dev.successful);
  CHECK(first_error(dev).find("not a regular file") != std::string::npos);

  const auto path = std::filesystem::temp_directory_path() / "saker-hostile-big.yaml";
  {
    std::ofstream out(path);
    std::string chunk(1 << 20, '#');
    for (int i = 0; i < 17; ++i) out << chunk << "\n";
  }
  LoadResult big = loader.load_file(path.string());
  std::filesystem::remove(path);
  CHECK_FALSE(big.successful);
  CHECK(first_error(big).find("limit") != std::string::npos);
  // A good file still loads with the same loader.
  CHECK(loader.load_content("ok.yaml", rule("evt.type = open")).successful);
}
