// The record checker: compact output, and every kind of error found at its offset.
#include "json_check.h"

#include <doctest/doctest.h>

#include <string>

using saker::cloudtrail::compact_json;

namespace {
std::string compact(std::string_view in, size_t depth = 64) {
  std::string out;
  auto r = compact_json(in, depth, &out);
  return r.ok ? out : std::string("ERR@") + std::to_string(r.error_offset) + ": " + r.error;
}
}  // namespace

TEST_CASE("well-formed values come out without whitespace, strings untouched") {
  CHECK(compact(" { \"a\" : [ 1 , -2.5e+3 , true , false , null ] ,\n\"b\":{ } } ") ==
        R"({"a":[1,-2.5e+3,true,false,null],"b":{}})");
  CHECK(compact(R"({"s":"a b\t\"\\\/\u00e9 é 😀"})") == R"({"s":"a b\t\"\\\/\u00e9 é 😀"})");
  CHECK(compact("[]") == "[]");
  CHECK(compact("0") == "0");
}

TEST_CASE("errors carry the offset where they were seen") {
  CHECK(compact(R"({"a" 1})") == "ERR@5: expected ':'");
  CHECK(compact(R"({"a":1,})") == "ERR@7: expected a member name");
  CHECK(compact(R"({"a":01})") == "ERR@6: expected ',' or a closing bracket");
  CHECK(compact(R"({"a":tru})") == "ERR@5: unexpected character");
  CHECK(compact(R"({"a":"x)") == "ERR@7: unterminated string");
  CHECK(compact("{\"a\":\"x\ny\"}") == "ERR@7: control character in a string");
  CHECK(compact(R"({"a":"\q"})") == "ERR@6: bad escape in a string");
  CHECK(compact(R"({"a":"\u12G4"})") == "ERR@6: bad \\u escape");
  CHECK(compact("{\"a\":\"\xC3\"}") == "ERR@6: invalid UTF-8 in a string");
  CHECK(compact("{\"a\":\"\xED\xA0\x80\"}") == "ERR@6: invalid UTF-8 in a string");  // surrogate
  CHECK(compact("{} {}") == "ERR@3: text after the value");
  CHECK(compact("{\"a\":[1,2}") == "ERR@9: expected ',' or a closing bracket");
  CHECK(compact("{\"a\":") == "ERR@5: unexpected end");
  CHECK(compact("-") == "ERR@1: bad number");
  CHECK(compact("1.") == "ERR@2: bad number");
}

TEST_CASE("nesting is bounded") {
  CHECK(compact("[[[1]]]", 3) == "[[[1]]]");
  CHECK(compact("[[[[1]]]]", 3) == "ERR@3: nested too deeply");
}
