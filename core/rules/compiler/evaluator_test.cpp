// Every operator, modifier and transformer evaluated on synthetic events, with Falco's
// corner cases: missing values, list fields, numeric vs string comparison, pmatch paths.
#include "evaluator.h"

#include <doctest/doctest.h>

#include "rules/testing/rules_fixture.h"
#include "short_compare.h"

using saker::rules::testing::Fixture;

namespace {

struct Ev {
  Fixture f;
  const saker_event* ev;
  // An "open" event with the fields `fill` sets.
  template <class Fill>
  explicit Ev(Fill fill) {
    auto b = f.builder();
    fill(b);
    ev = f.event(b, "open");
  }
  Ev() : Ev([](auto& b) { defaults(b); }) {}
  static void defaults(saker::rules::testing::EventBuilder& b) {
    b.set("t.str", "Hello World")
        .set("t.str2", "hello world")
        .set("t.num", "42")
        .set("t.num2", "42")
        .set("t.snum", "-5")
        .set("t.bool", "true")
        .set("t.ip", "10.1.2.3")
        .set("t.net", "192.168.1.7")
        .set("t.buf", "GET / HTTP/1.1")
        .set_list("t.list", {"a", "b"})
        .set_list("t.list2", {"b", "a"})
        .set_list("t.nlist", {"1", "2"})
        .set_arg("t.kv", "user", "root")
        .set_arg("t.idx", "2", "bash")
        .set("fd.name", "/var/run/docker.sock")
        .set("proc.name", "bash")
        .set("evt.type", "open");
  }
  // The tree evaluator, checked against the rule engine's linked branch program.
  bool operator()(const std::string& cond) {
    const bool v = f.eval(cond, ev);
    CHECK_MESSAGE(f.eval_linked(cond, ev) == v, cond);
    return v;
  }
};

}  // namespace

TEST_CASE("string operators") {
  Ev e;
  CHECK(e("t.str = \"Hello World\""));
  CHECK(e("t.str == 'Hello World'"));
  CHECK_FALSE(e("t.str = hello"));
  CHECK(e("t.str != hello"));
  CHECK(e("t.str contains World"));
  CHECK_FALSE(e("t.str contains world"));
  CHECK(e("t.str icontains wORLD"));
  CHECK(e("t.str startswith Hell"));
  CHECK(e("t.str endswith orld"));
  CHECK(e("t.str glob 'H*W?rld'"));
  CHECK_FALSE(e("t.str glob 'h*'"));
  CHECK(e("t.str iglob 'h*'"));
  CHECK(e("t.str glob '[GH]ello*'"));
  CHECK(e("fd.name glob '/var/*'"));  // '*' crosses '/'
  CHECK(e("t.str regex 'H.*d'"));
  CHECK_FALSE(e("t.str regex 'ello'"));  // anchored: full match only
  CHECK(e("t.str regex '(Hello|Bye) World'"));
  // string ordering (the grammar only allows numbers after < <= > >=)
  CHECK(e("t.str > 9"));  // 'H' sorts after '9'
  CHECK(e("t.str >= 9"));
  CHECK_FALSE(e("t.str < 9"));
  CHECK_FALSE(e("t.str <= 9"));
}

TEST_CASE("numeric, bool and numeric-vs-string comparisons") {
  Ev e;
  CHECK(e("t.num = 42"));
  CHECK(e("t.num != 41"));
  CHECK(e("t.num > 41"));
  CHECK(e("t.num >= 42"));
  CHECK(e("t.num < 100"));  // numeric, not string order ("100" < "42" as text)
  CHECK(e("t.num <= 42"));
  CHECK(e("t.num in (1, 42, 7)"));
  CHECK_FALSE(e("t.num in (1, 2)"));
  CHECK(e("t.snum < 0"));
  CHECK(e("t.snum = -5"));
  CHECK(e("t.snum != 5"));
  CHECK(e("t.snum > -6"));  // signed order: -5 is below every positive number
  CHECK_FALSE(e("t.snum > 3"));
  CHECK(e("t.snum >= -5"));
  CHECK_FALSE(e("t.snum >= 0"));
  CHECK(e("t.snum <= -5"));
  CHECK_FALSE(e("t.snum <= -6"));
  CHECK_FALSE(e("t.snum < -5"));
  CHECK(e("t.bool = true"));
  CHECK_FALSE(e("t.bool = false"));
  CHECK(e("t.bool != false"));
  // A string field compared with a number compares text.
  CHECK(e("t.kv[user] > 1"));
}

TEST_CASE("ip addresses and networks") {
  Ev e;
  CHECK(e("t.ip = 10.1.2.3"));
  CHECK(e("t.ip != 10.1.2.4"));
  CHECK(e("t.ip in (1.1.1.1, 10.1.2.3)"));
  CHECK(e("t.ip = 10.0.0.0/8"));
  CHECK(e("t.net = 192.168.0.0/16"));
  CHECK_FALSE(e("t.net = 10.0.0.0/8"));
  CHECK(e("t.net in (10.0.0.0/8, 192.168.1.0/24)"));
  CHECK(e("t.net != 172.16.0.0/12"));
}

TEST_CASE("short compares: every length up to past the memcmp cut-off, a difference at every byte") {
  using saker::rules::bytes_equal;
  using saker::rules::str_ends_with;
  using saker::rules::str_starts_with;
  std::string a(100, 'x'), b(100, 'x');
  for (size_t i = 0; i < a.size(); ++i) a[i] = b[i] = static_cast<char>('a' + i % 26);
  for (size_t n = 0; n <= 80; ++n) {
    CHECK(bytes_equal(a.data(), b.data(), n));
    for (size_t k = 0; k < n; ++k) {
      b[k] ^= 0x20;
      CHECK_MESSAGE(!bytes_equal(a.data(), b.data(), n), "n=" << n << " k=" << k);
      b[k] ^= 0x20;
    }
  }
  CHECK(str_starts_with("/etc/shadow", "/etc/"));
  CHECK_FALSE(str_starts_with("/etc", "/etc/"));
  CHECK(str_ends_with("/x/release_agent", "release_agent"));
  CHECK_FALSE(str_ends_with("/x/release_agenT", "release_agent"));
  CHECK(str_starts_with("", ""));
}

TEST_CASE("contains: needles at every place, of every short length, and long values") {
  const std::string big = std::string(300, 'a') + "needle" + std::string(300, 'b');
  Ev e([&](auto& b) { b.set("t.str", "aaab/x/.ssh/id").set("t.str2", big).set("fd.name", "ab"); });
  CHECK(e("t.str contains aaab"));      // at the start, after a partial match
  CHECK(e("t.str contains aab"));       // the first byte repeats before the match
  CHECK(e("t.str contains id"));        // at the end
  CHECK(e("t.str contains /.ssh/"));    // first and last bytes equal
  CHECK(e("t.str contains d"));         // one byte, the last
  CHECK(e("t.str contains 'aaab/x/.ssh/id'"));  // the whole value
  CHECK_FALSE(e("t.str contains 'aaab/x/.ssh/idx'"));  // longer than the value
  CHECK_FALSE(e("t.str contains /.ssx/"));  // first and last bytes match, the middle not
  CHECK_FALSE(e("t.str contains ab/y"));
  CHECK_FALSE(e("t.str contains z"));
  CHECK(e("fd.name contains ab"));
  CHECK_FALSE(e("fd.name contains ba"));
  CHECK(e("t.str2 contains needle"));  // a value longer than the short-value loop takes
  CHECK(e("t.str2 contains aaaneedlebbb"));
  CHECK_FALSE(e("t.str2 contains needlf"));
}

TEST_CASE("buffers: bcontains, bstartswith take hex") {
  Ev e;
  CHECK(e("t.buf bcontains 48545450"));  // "HTTP"
  CHECK(e("t.buf bstartswith 474554"));  // "GET"
  CHECK_FALSE(e("t.buf bstartswith 48545450"));
  CHECK(e("t.buf contains HTTP"));
}

TEST_CASE("in, intersects, pmatch and lists") {
  Ev e;
  CHECK(e("proc.name in (sh, bash, zsh)"));
  CHECK(e("proc.name in (\"bash\")"));
  CHECK_FALSE(e("proc.name in (sh, zsh)"));
  CHECK(e("proc.name intersects (bash)"));
  CHECK(e("t.list in (a, b, c)"));  // every value in the set
  CHECK_FALSE(e("t.list in (a, c)"));
  CHECK(e("t.list intersects (c, b)"));  // some value in the set
  CHECK_FALSE(e("t.list intersects (c, d)"));
  CHECK(e("t.nlist in (1, 2, 3)"));
  CHECK(e("t.nlist intersects (2)"));
  CHECK(e("fd.name pmatch (/var/run)"));
  CHECK(e("fd.name pmatch (/etc, /var/run/docker.sock)"));
  CHECK(e("fd.name pmatch (/var/*/docker.sock)"));
  CHECK_FALSE(e("fd.name pmatch (/var/ru)"));
  CHECK_FALSE(e("fd.name pmatch (/var/run/docker.sock/x)"));
  // a large list goes through the hash set
  CHECK(e("proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, bash)"));
  CHECK_FALSE(e("proc.name in (a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, bas)"));
}

TEST_CASE("missing values: every check is false except through not; exists") {
  Ev e;
  CHECK_FALSE(e("proc.pname = x"));
  CHECK_FALSE(e("proc.pname != x"));
  CHECK_FALSE(e("proc.pname in (x)"));
  CHECK(e("not proc.pname in (x)"));
  CHECK_FALSE(e("proc.pname exists"));
  CHECK(e("proc.name exists"));
  CHECK(e("t.kv[user] exists"));
  CHECK_FALSE(e("t.kv[group] exists"));
  CHECK(e("not t.kv[group] exists"));
  CHECK_FALSE(e("proc.pname = <NA>"));  // <NA> is a plain 4-char string
}

TEST_CASE("modifiers oneof, anyof, allof") {
  Ev e;
  CHECK(e("proc.name startswith oneof (b, x)"));
  CHECK_FALSE(e("proc.name startswith oneof (b, ba)"));  // two match
  CHECK(e("proc.name startswith anyof (b, ba)"));
  CHECK(e("proc.name startswith allof (b, ba, bas)"));
  CHECK_FALSE(e("proc.name startswith allof (b, x)"));
  CHECK_FALSE(e("proc.name = anyof ()"));
  CHECK_FALSE(e("proc.name = allof ()"));
  CHECK(e("t.str contains anyof (xyz, World)"));
  CHECK(e("t.ip == anyof (1.1.1.1, 10.0.0.0/8)"));
}

TEST_CASE("transformers and field-to-field comparison") {
  Ev e;
  CHECK(e("tolower(t.str) = 'hello world'"));
  CHECK(e("toupper(proc.name) = BASH"));
  CHECK(e("basename(fd.name) = docker.sock"));
  CHECK(e("len(proc.name) = 4"));
  CHECK(e("len(t.list) = 2"));
  CHECK(e("len(tolower(t.str)) > 10"));
  CHECK(e("t.str2 = tolower(t.str)"));
  CHECK(e("t.num = val(t.num2)"));
  CHECK_FALSE(e("t.str = val(t.str2)"));
  CHECK(e("t.str != val(t.str2)"));
  CHECK(e("t.list in val(t.list2)"));
  CHECK(e("toupper(t.str2) = toupper(t.str)"));
  CHECK_FALSE(e("proc.name = val(proc.pname)"));  // missing right side: false
  // a field name on the right without val() is a plain string
  CHECK_FALSE(e("proc.name = proc.name"));
}

TEST_CASE("b64 transformer") {
  Fixture f;
  auto b = f.builder();
  b.set("t.str", "aGVsbG8=");
  auto* ev = f.event(b);
  CHECK(f.eval("b64(t.str) = hello", ev));
}

TEST_CASE("evt.type checks use the event type code") {
  Ev e;
  CHECK(e("evt.type = open"));
  CHECK(e("evt.type in (openat, open)"));
  CHECK(e("evt.type != execve"));
  CHECK_FALSE(e("evt.type = execve"));
  CHECK(e("not evt.type in (execve, connect)"));
}

TEST_CASE("and / or / not short-circuit and precedence") {
  Ev e;
  CHECK(e("proc.name = bash and t.num = 42"));
  CHECK_FALSE(e("proc.name = bash and t.num = 41"));
  CHECK(e("proc.name = sh or t.num = 42"));
  CHECK(e("proc.name = sh or proc.name = zsh or proc.name = bash and t.num = 42"));
  CHECK_FALSE(e("(proc.name = sh or proc.name = bash) and t.num = 1"));
  CHECK(e("not not proc.name = bash"));
  CHECK(e("not (proc.name = sh)"));
  // Nesting, negated groups and evt.type checks folded to constants (branch targets).
  CHECK(e("not (proc.name = sh or (t.num = 42 and not evt.type = open))"));
  CHECK_FALSE(e("not (proc.name = bash and (evt.type = execve or t.num = 42))"));
  CHECK(e("(evt.type = execve and proc.name = bash) or (evt.type = open and not t.num = 1)"));
  CHECK_FALSE(e("evt.type = execve and proc.name = bash"));
  CHECK(e("evt.type = execve or proc.name = bash"));
  CHECK(e("not evt.type = execve and (t.str = x or t.num > 41) and not (t.bool = false)"));
  CHECK_FALSE(e("(t.str = x or t.num < 41) and (proc.name = bash or t.num = 1)"));
  CHECK(e("((t.str = x or proc.name = bash) and (t.num = 1 or t.num = 42)) or t.str = y"));
}
