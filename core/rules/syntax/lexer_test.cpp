// Unit tests of the condition scanner: token classes, keyword prefixes, unescaping.
#include "lexer.h"

#include <doctest/doctest.h>

using saker::rules::Lexer;
using saker::rules::ParseError;
using saker::rules::unescape_quoted;

TEST_CASE("field names need a dot and letter-initial segments") {
  Lexer a("proc.aname[2]");
  CHECK(a.field_name().value() == "proc.aname");
  CHECK(a.peek() == '[');
  Lexer b("ka.req.pod.volumes.hostpath intersects");
  CHECK(b.field_name().value() == "ka.req.pod.volumes.hostpath");
  Lexer c("macro_name");
  CHECK_FALSE(c.field_name().has_value());
  Lexer d("a.b.1x");
  CHECK(d.field_name().value() == "a.b");
}

TEST_CASE("numbers follow the leftmost-longest regex") {
  CHECK(Lexer("-12.5e+3x").number().value() == "-12.5e+3");
  CHECK(Lexer("1e5").number().value() == "1");  // exponent needs a sign
  CHECK(Lexer("0x1Fz").hex_number().value() == "0x1F");
  CHECK_FALSE(Lexer("abc").number().has_value());
}

TEST_CASE("bare strings stop at parentheses, quotes, blanks, '=' and ','") {
  CHECK(Lexer("/usr/bin/x,y").bare_string().value() == "/usr/bin/x");
  CHECK(Lexer("<NA>)").bare_string().value() == "<NA>");
  CHECK(Lexer("a=b").bare_string().value() == "a");
  CHECK(Lexer("/path*] x").arg_bare().value() == "/path*");
}

TEST_CASE("keywords are prefixes; word operators need a blank") {
  Lexer l("inx");
  CHECK(l.match("in"));
  CHECK(l.rest() == "x");
  Lexer w("containsvalue");
  CHECK_FALSE(w.match_followed_by_blank("contains"));
  Lexer n("not\fx");
  CHECK(n.match_not_blank());  // [[:space:]] includes \f
  Lexer nb("not(");
  CHECK_FALSE(nb.match_not_blank());
}

TEST_CASE("positions count lines after \\n and \\r") {
  Lexer l("a\n b\rc");
  l.identifier();
  l.skip_blanks();
  CHECK(l.pos() == saker::rules::Pos{3, 2, 2});
  l.identifier();
  l.skip_blanks();
  CHECK(l.pos() == saker::rules::Pos{5, 3, 1});
}

TEST_CASE("quoted strings: first unescaped closing quote") {
  CHECK(Lexer("'a b' x").quoted_string().value() == "a b");
  CHECK(Lexer(R"("a\"b")").quoted_string().value() == "a\"b");
  CHECK_FALSE(Lexer(R"('a\\')").quoted_string().has_value());  // last quote is escaped
  CHECK_FALSE(Lexer("'unterminated").quoted_string().has_value());
}

TEST_CASE("unescape rules") {
  saker::rules::Pos p;
  CHECK(unescape_quoted(R"(\b\f\n\r\t)", '"', p) == "\b\f\n\r\t");
  CHECK(unescape_quoted(R"(a\\b\/c)", '"', p) == "a\\b/c");
  CHECK(unescape_quoted(R"(x\ y)", '"', p) == "x\\y");  // "\ " -> lone backslash
  CHECK(unescape_quoted(R"(\x41\x62)", '"', p) == "Ab");
  CHECK(unescape_quoted(R"(it\'s)", '\'', p) == "it's");
  CHECK_THROWS_WITH_AS(unescape_quoted(R"(\")", '\'', p), "invalid \\\" escape in '-quoted string",
                       ParseError);
  CHECK_THROWS_WITH_AS(unescape_quoted(R"(\')", '"', p), "invalid \\' escape in \"-quoted string",
                       ParseError);
  CHECK_THROWS_WITH_AS(unescape_quoted(R"(\q)", '"', p), "unsupported string escape sequence: \\q",
                       ParseError);
  CHECK_THROWS_WITH_AS(unescape_quoted(R"(\x4)", '"', p), "truncated hex char escape sequence",
                       ParseError);
  CHECK_THROWS_WITH_AS(unescape_quoted(R"(\xg1)", '"', p), "invalid hex char escape sequence: g1",
                       ParseError);
}
