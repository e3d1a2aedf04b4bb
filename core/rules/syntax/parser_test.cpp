// Unit tests of the condition parser: operators, precedence, quirks, values, arguments,
// transformers, and error messages with positions.
#include "parser.h"

#include <doctest/doctest.h>

#include <string>

using namespace saker::rules;

namespace {

std::string norm(const std::string& s) { return as_string(*parse_condition(s)); }

// "message @offset:line:col"
std::string err(const std::string& s, uint32_t depth = kFalcoMaxParseDepth) {
  try {
    parse_condition(s, depth);
  } catch (const ParseError& e) {
    return std::string(e.what()) + " @" + std::to_string(e.pos().offset) + ":" +
           std::to_string(e.pos().line) + ":" + std::to_string(e.pos().col);
  }
  return "no error";
}

const std::string kTransformers =
    "'val', 'tolower', 'toupper', 'b64', 'basename', 'len', 'join', 'concat', 'getopt'";

}  // namespace

TEST_CASE("every operator") {
  for (std::string op : {"=", "==", "!=", "contains", "icontains", "bcontains", "startswith",
                         "bstartswith", "endswith", "glob", "iglob", "regex"}) {
    CHECK(norm("a.b " + op + " v") == "a.b " + op + " v");
  }
  for (std::string op : {"<", "<=", ">", ">="})
    CHECK(norm("a.b " + op + " 10") == "a.b " + op + " 10");
  for (std::string op : {"in", "intersects", "pmatch"}) {
    CHECK(norm("a.b " + op + " (x, y)") == "a.b " + op + " (x, y)");
  }
  CHECK(norm("a.b exists") == "a.b exists");
  CHECK(norm("a.b=1") == "a.b = 1");
  CHECK(norm("a.b<=1") == "a.b <= 1");
  CHECK(norm("a.b in(x)") == "a.b in (x)");
  CHECK(norm("a.b inx") == "a.b in x");  // identifier RHS becomes a value
  CHECK(norm("x.y existsand m") == "(x.y exists and m)");
}

TEST_CASE("modifiers oneof / anyof / allof") {
  CHECK(norm("a.b startswith oneof (x, y)") == "a.b startswith oneof (x, y)");
  CHECK(norm("a.b = anyof my_list") == "a.b = anyof my_list");
  CHECK(norm("a.b != allof ()") == "a.b != allof ()");
  // not a modifier: the word is the value
  CHECK(norm("a.b = oneof") == "a.b = oneof");
  CHECK(norm("a.b = oneof and m") == "(a.b = oneof and m)");
  // a modifier needs a blank after the operator
  CHECK(err("a.b =oneof (x)") == "unexpected token after 'oneof', expecting 'or', 'and' @11:1:12");
}

TEST_CASE("precedence, flattening and parentheses") {
  CHECK(norm("a and b and c") == "(a and b and c)");
  CHECK(norm("a or b and c") == "(a or (b and c))");
  CHECK(norm("(a or b) and c") == "((a or b) and c)");
  CHECK(norm("((a))") == "a");
  CHECK(norm("not a and b") == "(not a and b)");
  CHECK(norm("a or (b) and c") == "(a or (b and c))");
  CHECK(norm("a and(b or c)") == "(a and (b or c))");
}

TEST_CASE("not folding") {
  CHECK(norm("not not a") == "a");
  CHECK(norm("not not not a") == "not a");
  CHECK(norm("not not not not not(not not(not x))") == "not not x");
  CHECK(norm("nota") == "nota");
  CHECK(norm("not(a)") == "not a");
}

TEST_CASE("or( / and( take the parenthesised expression as the operand") {
  CHECK(err("a or(b) and c") == "unexpected token after ')', expecting 'or', 'and' @8:1:9");
  CHECK(norm("a or(b) or c") == "(a or b or c)");
}

TEST_CASE("values: quoted, bare, escapes, field names as strings") {
  CHECK(norm("a.b = \"x y\"") == "a.b = \"x y\"");
  CHECK(norm("a.b = 'it\\'s'") == "a.b = \"it's\"");
  CHECK(norm("a.b = \"\\x41\"") == "a.b = A");
  CHECK(norm("a.b = <NA>") == "a.b = <NA>");
  CHECK(norm("a.b = c.d") == "a.b = c.d");  // a field name on the RHS is a plain string
  CHECK(norm("a.b in (\"x y\", 'z', w)") == "a.b in (\"x y\", z, w)");
  CHECK(norm("a.b in ()") == "a.b in ()");
  CHECK(norm("a.b > 0x10") == "a.b > 0x10");
  CHECK(norm("a.b > -1.5") == "a.b > -1.5");
}

TEST_CASE("field arguments") {
  auto e = parse_condition("proc.aname[2] = sh");
  const auto& f = static_cast<const FieldExpr&>(*static_cast<BinaryCheckExpr&>(*e).left);
  CHECK(f.name == "proc.aname");
  CHECK(f.arg.value() == "2");
  CHECK(norm("container.mount.dest[/proc*] exists") == "container.mount.dest[/proc*] exists");
  CHECK(norm("json.value[\"/a b\"] exists") == "json.value[\"/a b\"] exists");
  CHECK(norm("ka.uri.param[command] exists") == "ka.uri.param[command] exists");
  CHECK(norm("x.y[\"\"] exists") == "x.y[\"\"] exists");
}

TEST_CASE("transformers and field-to-field comparison") {
  CHECK(norm("tolower(proc.name) = bash") == "tolower(proc.name) = bash");
  CHECK(norm("toupper( proc.name ) = BASH") == "toupper(proc.name) = BASH");
  CHECK(norm("len(proc.args) > 3") == "len(proc.args) > 3");
  CHECK(norm("b64(basename(fd.name)) = x") == "b64(basename(fd.name)) = x");
  CHECK(norm("proc.name = val(proc.pname)") == "proc.name = val(proc.pname)");
  CHECK(norm("proc.name = tolower(proc.pname)") == "proc.name = tolower(proc.pname)");
  CHECK(norm("a.b in val(c.d)") == "a.b in val(c.d)");
  CHECK(norm("a.b > len(c.d)") == "a.b > len(c.d)");
  CHECK(norm("concat(a.b, \"-\", 1) = x") == "concat(a.b,-,1) = x");
  CHECK(norm("getopt(proc.args, \"ab:\")[b] exists") == "getopt(proc.args,ab:)[b] exists");
  CHECK(norm("a.b = val(c.d)[x]") == "a.b = val(c.d)[x]");  // rejected later by the compiler
  // without '(' a transformer name is a macro reference
  CHECK(err("tolower = x.y") == "unexpected token after 'tolower', expecting 'or', 'and' @8:1:9");
}

TEST_CASE("macro references are identifiers") {
  auto e = parse_condition("spawned_process and not shell_procs");
  const auto& a = static_cast<const AndExpr&>(*e);
  CHECK(a.children[0]->kind() == ExprKind::kIdentifier);
  CHECK(static_cast<const IdentifierExpr&>(*a.children[0]).name == "spawned_process");
}

TEST_CASE("positions of nodes") {
  auto e = parse_condition("a.b = 1 and\n  not c.d exists");
  const auto& a = static_cast<const AndExpr&>(*e);
  CHECK(a.pos() == Pos{0, 1, 1});
  CHECK(a.children[0]->pos() == Pos{0, 1, 1});
  CHECK(a.children[1]->pos() == Pos{14, 2, 3});  // the not node starts at 'not'
  const auto& n = static_cast<const NotExpr&>(*a.children[1]);
  CHECK(n.child->pos() == Pos{18, 2, 7});
  const auto& check = static_cast<const BinaryCheckExpr&>(*a.children[0]);
  CHECK(check.right->pos() == Pos{6, 1, 7});
}

TEST_CASE("error messages and positions") {
  CHECK(err("") == "filter input string is empty @0:1:1");
  CHECK(err("a b") == "unexpected token after 'a', expecting 'or', 'and' @2:1:3");
  CHECK(err("a andb") == "expected blank or '(' after 'and' @5:1:6");
  CHECK(err("a and") == "expected blank or '(' after 'and' @5:1:6");
  CHECK(err("a andnot b") == "expected blank or '(' after 'and' @5:1:6");
  CHECK(err("a orb") == "expected blank or '(' after 'or' @4:1:5");
  CHECK(err("(a") == "expected a ')' token @2:1:3");
  CHECK(err("a and =") == "expected a '(' token, a field check, or an identifier @6:1:7");
  CHECK(err("macro > 12") == "unexpected token after 'macro', expecting 'or', 'and' @6:1:7");
  CHECK(err("a.b[] exists") ==
        "expected a valid field argument: a quoted string or a bare string @4:1:5");
  CHECK(err("a.b[x exists") == "expected a ']' token @5:1:6");
  CHECK(err("a.b containsvalue") ==
        "expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', "
        "'!=', 'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', "
        "'bstartswith', 'endswith', 'regex', 'intersects', 'in', 'pmatch' @4:1:5");
  CHECK(err("a.b > abc") == "expected a number value or a field with a valid transformer: " +
                                kTransformers + " @6:1:7");
  CHECK(err("a.b = )") == "expected a string value or a field with a valid transformer: " +
                              kTransformers + " @6:1:7");
  CHECK(err("a.b in \"x\"") ==
        "expected a list, an identifier, or a field with a valid transformer: " + kTransformers +
            " @7:1:8");
  CHECK(err("a.b in (x,)") == "expected a string value @10:1:11");
  CHECK(err("a.b in (x y)") == "expected a ')' token @10:1:11");
  CHECK(err("tolower(proc.name = x") == "expected a ')' token closing the transformer @18:1:19");
  CHECK(err("tolower(abc) = x") ==
        "expected field transformer argument: field, transformer, quoted string, number, or "
        "transformer list @8:1:9");
  CHECK(err("join(\",\", (a.b, c)) = x") ==
        "expected transformer list argument: field, transformer, quoted string, or number "
        "@16:1:17");
  CHECK(err("join(\",\", (a.b \"c\")) = x") == "expected ')' @15:1:16");
  CHECK(err("a.b = val(tolower(c.d))") == "expected a field within 'val' transformer @10:1:11");
  CHECK(err("a.b = \"\\q\"") == "unsupported string escape sequence: \\q @6:1:7");
  CHECK(err("a.b = 1 and\n c.d ~ 2").find("@17:2:6") != std::string::npos);
}

TEST_CASE("recursion depth guard") {
  std::string deep(300, '(');
  deep += "a" + std::string(300, ')');
  CHECK(err(deep) == "exceeded max depth limit of 1000 @200:1:201");
  CHECK(err("((((a))))", 100) == "no error");
  CHECK(err(std::string(30, '(') + "a" + std::string(30, ')'), 100)
            .rfind("exceeded max depth limit of 100", 0) == 0);
  std::string nested = "a.b = ";
  for (int i = 0; i < 1200; ++i) nested += "tolower(";
  nested += "c.d" + std::string(1200, ')');
  CHECK(err(nested).rfind("exceeded max depth limit of 1000", 0) == 0);
}

TEST_CASE("parse_field_or_transformer stops after the token") {
  Parser p("proc.aname[2])rest");
  ExprPtr e = p.parse_field_or_transformer();
  REQUIRE(e != nullptr);
  CHECK(as_string(*e) == "proc.aname[2]");
  CHECK(p.pos().offset == 13);
  Parser q("100%");
  CHECK(q.parse_field_or_transformer() == nullptr);
}
