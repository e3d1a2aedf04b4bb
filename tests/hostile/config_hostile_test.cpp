// Hostile configuration files: alias bombs and devices are refused at once with the file
// named, instead of burning CPU or reading without end.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.h"

using saker::core::Config;
using saker::core::ConfigError;

TEST_CASE("a configuration whose aliases expand exponentially is refused quickly") {
  std::string y = "a0: &a0 [x, y, z, w, v, u, t, s, r, q]\n";
  for (int i = 1; i <= 9; ++i) {
    std::string prev = "*a" + std::to_string(i - 1);
    std::string items = prev;
    for (int k = 1; k < 10; ++k) items += ", " + prev;
    y += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + items + "]\n";
  }
  y += "plugins:\n  - name: x\n    library_path: libx.so\n    init_config: *a9\n";
  auto t0 = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(Config::from_string(y, "bomb.yaml"), doctest::Contains("aliases"),
                       ConfigError);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 5.0);
}

TEST_CASE("config_files naming a device is refused, not read without end") {
  const auto dir = std::filesystem::temp_directory_path() / "saker-hostile-config";
  std::filesystem::create_directories(dir);
  const auto main = dir / "saker.yaml";
  std::ofstream(main) << "config_files:\n  - /dev/zero\n";
  CHECK_THROWS_WITH_AS(Config::load(main.string()), doctest::Contains("not a regular file"),
                       ConfigError);
  CHECK_THROWS_WITH_AS(Config::load("/dev/zero"), doctest::Contains("not a regular file"),
                       ConfigError);
  std::filesystem::remove_all(dir);
}
