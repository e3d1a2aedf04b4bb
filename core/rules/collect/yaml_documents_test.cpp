// parse_yaml_documents builds what YAML::LoadAll builds (types, values, tags, styles,
// marks, shared anchors), and stops where LoadAll would loop forever.
#include "yaml_documents.h"

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

namespace saker::rules {
namespace {

void check_same(const YAML::Node& a, const YAML::Node& b) {
  REQUIRE(a.Type() == b.Type());
  CHECK(a.Tag() == b.Tag());
  CHECK(a.Style() == b.Style());
  CHECK(a.Mark().pos == b.Mark().pos);
  CHECK(a.Mark().line == b.Mark().line);
  CHECK(a.Mark().column == b.Mark().column);
  if (a.IsScalar()) CHECK(a.Scalar() == b.Scalar());
  if (a.IsSequence()) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) check_same(a[i], b[i]);
  }
  if (a.IsMap()) {
    REQUIRE(a.size() == b.size());
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib) {
      check_same(ia->first, ib->first);
      check_same(ia->second, ib->second);
    }
  }
}

void check_like_load_all(const std::string& text) {
  std::optional<YAML::Mark> stuck;
  const std::vector<YAML::Node> got = parse_yaml_documents(text, &stuck);
  CHECK_FALSE(stuck);
  const std::vector<YAML::Node> want = YAML::LoadAll(text);
  REQUIRE(got.size() == want.size());
  for (size_t i = 0; i < got.size(); ++i) check_same(got[i], want[i]);
}

}  // namespace

TEST_CASE("the documents are built as YAML::LoadAll builds them") {
  check_like_load_all("");
  check_like_load_all("---\n---\n");
  check_like_load_all("a\n");
  check_like_load_all(
      "- list: l\n  items: [a, \"b\", 'c', ~, null]\n"
      "- macro: m\n  condition: >\n    x and\n    y\n"
      "- &r rule: !!str r\n  x: &v {k: v, ? [c, d] : e}\n  y: *v\n  z: *r\n  e:\n"
      "---\n- {a: 1}\n...\n--- !tag\nb: [1, [2, 3]]\n");
  std::ifstream in(std::string(SAKER_TESTDATA_DIR) + "/rules/falco_rules.yaml");
  std::stringstream ss;
  ss << in.rdbuf();
  REQUIRE(ss.str().size() > 1000);
  check_like_load_all(ss.str());
}

TEST_CASE("an alias shares its anchor's node") {
  std::optional<YAML::Mark> stuck;
  auto docs = parse_yaml_documents("a: &x [1]\nb: *x\n", &stuck);
  REQUIRE(docs.size() == 1);
  CHECK(docs[0]["a"].is(docs[0]["b"]));
}

TEST_CASE("a document start yaml-cpp never consumes stops the parse at its position") {
  for (const char* text : {",\n", "- a[b\n, c\n", "[a] , b\n"}) {
    CAPTURE(text);
    std::optional<YAML::Mark> stuck;
    try {
      parse_yaml_documents(text, &stuck);
    } catch (const YAML::Exception&) {
      continue;  // a parse error is fine too: the point is that it returns
    }
    CHECK(stuck);
  }
  std::optional<YAML::Mark> stuck;
  parse_yaml_documents("[x]\n,\n", &stuck);
  REQUIRE(stuck);
  CHECK(stuck->line == 1);
  CHECK(stuck->column == 0);
}

}  // namespace saker::rules
