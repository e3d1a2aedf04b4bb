// Compile-time behaviour: field resolution and arguments, the operator/type matrix,
// constant parsing, evt.type validation, compiler warnings, event-type inference.
#include "compiler.h"

#include <doctest/doctest.h>

#include "rules/testing/rules_fixture.h"
#include "evttype.h"

using saker::rules::CompileError;
using saker::rules::testing::Fixture;

namespace {

std::string error_of(Fixture& f, const std::string& cond) {
  try {
    f.compile(cond);
  } catch (const CompileError& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> warnings_of(Fixture& f, const std::string& cond) {
  std::vector<std::string> w;
  f.compile(cond, &w);
  return w;
}

size_t num_types(Fixture& f, const std::string& cond) {
  auto ast = saker::rules::Parser(cond).parse_condition();
  return saker::rules::count_event_names(saker::rules::infer_event_types(*ast, f.names()),
                                         f.names());
}

}  // namespace

TEST_CASE("fields are resolved with their arguments") {
  Fixture f;
  CHECK(error_of(f, "proc.nobody = x") == "filter_check called with nonexistent field proc.nobody");
  CHECK(error_of(f, "proc.aname[2] = x").empty());
  CHECK(error_of(f, "proc.name[2] = x").find("does not allow nor require an argument") !=
        std::string::npos);
  CHECK(error_of(f, "t.req = x").find("requires an argument but none provided") !=
        std::string::npos);
  CHECK(error_of(f, "t.idx[abc] = x").find("numeric argument") != std::string::npos);
  CHECK(error_of(f, "evt.arg.flags contains O_RDWR").empty());  // evt.arg with key "flags"
  CHECK(error_of(f, "evt.num = 3").empty());                    // a core field
}

TEST_CASE("operators are checked against field types") {
  Fixture f;
  CHECK(error_of(f, "t.num contains 1") ==
        "filter error: 'contains' operator not supported for numeric filters");
  CHECK(error_of(f, "t.bool > 1") == "filter error: '>' operator not supported for bool filters");
  CHECK(error_of(f, "t.ip startswith 10") ==
        "filter error: 'startswith' operator not supported for ip address and network filters");
  CHECK(error_of(f, "t.str bcontains 41") ==
        "filter error: 'bcontains' operator not supported for string filters");
  CHECK(error_of(f, "t.buf glob x") ==
        "filter error: 'glob' operator not supported for buffer filters");
  CHECK(error_of(f, "t.list = a") == "filter error: '=' operator not supported for list filters");
  CHECK(error_of(f, "t.list intersects (a)").empty());
  CHECK(error_of(f, "t.str < 1").empty());  // strings accept every string operator
  CHECK(error_of(f, "t.ip startswith anyof (1.1.1.1)").find("not supported") != std::string::npos);
}

TEST_CASE("constants are parsed per type") {
  Fixture f;
  CHECK(error_of(f, "t.num = 0x10") == "0x10 is not a valid number");
  CHECK(error_of(f, "t.num = 1.0") == "1.0 is not a valid number");
  CHECK(error_of(f, "t.num = abc") == "abc is not a valid number");
  CHECK(error_of(f, "t.num in (1, x)") == "x is not a valid number");
  CHECK(error_of(f, "t.bool = yes").find("not a valid boolean") != std::string::npos);
  CHECK(error_of(f, "t.ip = 300.1.1.1").find("not a valid IP") != std::string::npos);
  CHECK(error_of(f, "t.net = 10.0.0.0/33").find("not a valid IP network") != std::string::npos);
  CHECK(error_of(f, "t.buf bcontains 123") ==
        "bcontains and bstartswith operator support hex strings only");
  CHECK(error_of(f, "t.str regex '('").find("invalid regex pattern") == 0);
  CHECK(error_of(f, "evt.type = nosuchevent") == "unknown event type nosuchevent");
  CHECK(error_of(f, "evt.type in (open, bogus)") == "unknown event type bogus");
}

TEST_CASE("transformer and field-to-field typing") {
  Fixture f;
  CHECK(error_of(f, "toupper(t.num) = X").find("type 'uint64' is not supported by 'toupper'") !=
        std::string::npos);
  CHECK(error_of(f, "t.str = val(t.num)").find("incompatible type") != std::string::npos);
  CHECK(error_of(f, "t.str pmatch val(t.str2)").find("does not support a field") !=
        std::string::npos);
  CHECK(error_of(f, "evt.type = val(t.str)").find("event code search") != std::string::npos);
  CHECK(error_of(f, "tolower(evt.type) = open").find("transformers") != std::string::npos);
  CHECK(error_of(f, "join(',', (t.str)) = x").find("not supported") != std::string::npos);
  CHECK(error_of(f, "t.num = len(t.str)").empty());
}

TEST_CASE("compiler warnings (LOAD_COMPILE_CONDITION texts)") {
  Fixture f;
  auto w = warnings_of(f, "proc.name = proc.pname");
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "'proc.pname' may be a valid field misused as a const string value");
  w = warnings_of(f, "proc.name in (bash, 'toupper(proc.pname)')");
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("may be a valid field transformer misused") != std::string::npos);
  w = warnings_of(f, "proc.name regex '^bash.*'");
  REQUIRE(w.size() == 1);
  CHECK(w[0].find("may be optimized with simpler operators") != std::string::npos);
  CHECK(warnings_of(f, "proc.name regex 'ba(sh|zsh)'").empty());
  CHECK(warnings_of(f, "proc.name = bash").empty());
}

TEST_CASE("event-type inference (RULE-LANGUAGE.md §2.9 examples)") {
  Fixture f;
  const size_t all = num_types(f, "proc.name = x");
  CHECK(all == f.names().size());
  CHECK(num_types(f, "evt.type=openat and not proc.name=nginx") == 1);
  CHECK(num_types(f, "not (evt.type=openat and proc.name=nginx)") == all);
  CHECK(num_types(f, "evt.type in (openat, close)") == 2);
  CHECK(num_types(f, "not evt.type in (openat, close)") == all - 2);
  CHECK(num_types(f, "evt.type=close and evt.type=openat") == 0);
  CHECK(num_types(f, "evt.type != open") == all - 1);
  CHECK(num_types(f, "evt.type exists") == all);
  CHECK(num_types(f, "not evt.type exists") == 0);
  CHECK(num_types(f, "evt.num = 0") == 0);
  CHECK(num_types(f, "not evt.num = 0") == all);
  CHECK(num_types(f, "evt.type = open or evt.type = execve and proc.name = x") == 2);
}
