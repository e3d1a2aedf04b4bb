// Unit tests of the request head scanner (src/http/head_scanner.h).
#include "http/head_scanner.h"

#include <doctest/doctest.h>

#include <string>

using saker::k8saudit::http::HeadScanner;
using State = HeadScanner::State;

TEST_CASE("head scanner: ends at the first empty line, byte by byte or at once") {
  std::string head = "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n";
  std::string req = head + "{}";
  HeadScanner once(1024, 8);
  REQUIRE(once.feed(req) == State::kComplete);
  CHECK(once.head_size() == head.size());
  HeadScanner slow(1024, 8);
  std::string got;
  State st = State::kIncomplete;
  for (char c : req) {
    got.push_back(c);
    st = slow.feed(got);
    if (st != State::kIncomplete) break;
  }
  CHECK(st == State::kComplete);
  CHECK(slow.head_size() == head.size());
  CHECK(got.size() == head.size());
  HeadScanner lf(1024, 8);  // bare LF line ends
  CHECK(lf.feed("GET / HTTP/1.1\nHost: x\n\n") == State::kComplete);
}

TEST_CASE("head scanner: size and line-count bounds") {
  HeadScanner size(64, 100);
  CHECK(size.feed("POST / HTTP/1.1\r\nX: " + std::string(100, 'a')) == State::kTooLarge);
  HeadScanner lines(4096, 3);
  CHECK(lines.feed("POST / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n") == State::kIncomplete);
  HeadScanner more(4096, 3);
  CHECK(more.feed("POST / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n") == State::kTooManyLines);
  HeadScanner exact(4096, 3);
  CHECK(exact.feed("POST / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n") == State::kComplete);
  HeadScanner reset(4096, 3);
  CHECK(reset.feed("GET / HTTP/1.1\r\n\r\n") == State::kComplete);
  reset.reset();
  CHECK(reset.feed("GET / HTTP/1.1\r\n") == State::kIncomplete);
}
