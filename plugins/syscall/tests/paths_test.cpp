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
