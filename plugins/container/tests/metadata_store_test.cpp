// The shared container map (first sightings, lookups due, retries, exits, bounds), the
// thread cache and the /proc fallback.
#include "metadata_store.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "process_cache.h"

using namespace saker::container;

namespace {
CgroupMatch match(char c) { return CgroupMatch{std::string(64, c), "podman"}; }
}  // namespace

TEST_CASE("a new container is added with its cgroup facts and asks for one lookup") {
  MetadataStore s(8);
  CHECK(s.note_seen(match('a'), 0));
  CHECK_FALSE(s.note_seen(match('a'), 1));  // pending
  auto info = s.find(std::string(64, 'a'));
  REQUIRE(info);
  CHECK(info->type == "podman");
  CHECK_FALSE(info->has_metadata);
  s.lookup_failed(std::string(64, 'a'), 100);
  CHECK_FALSE(s.note_seen(match('a'), 50));  // not yet due
  CHECK(s.note_seen(match('a'), 100));       // retry
  ContainerInfo c;
  c.id = std::string(64, 'a');
  c.name = "web";
  c.has_metadata = true;
  s.publish(c);
  CHECK(s.find(c.id)->name == "web");
  CHECK(s.find(c.id)->type == "podman");  // kept from the cgroup
  CHECK_FALSE(s.note_seen(match('a'), 1000));
}

TEST_CASE("exited containers are evicted after the grace period, a restart cancels it") {
  MetadataStore s(8);
  s.note_seen(match('a'), 0);
  s.note_seen(match('b'), 0);
  s.mark_exited(std::string(64, 'a'), 10);
  s.mark_exited(std::string(64, 'b'), 10);
  ContainerInfo restarted;
  restarted.id = std::string(64, 'b');
  s.publish(restarted);
  CHECK(s.sweep(100, 1000) == 0);
  CHECK(s.sweep(1010, 1000) == 1);
  CHECK_FALSE(s.find(std::string(64, 'a')));
  CHECK(s.find(std::string(64, 'b')));
  CHECK(s.evictions() == 1);
}

TEST_CASE("the store is bounded: the least recently seen container goes") {
  MetadataStore s(2);
  s.note_seen(match('a'), 1);
  s.note_seen(match('b'), 2);
  s.note_seen(match('a'), 3);
  s.note_seen(match('c'), 4);
  CHECK(s.size() == 2);
  CHECK(s.find(std::string(64, 'a')));
  CHECK_FALSE(s.find(std::string(64, 'b')));
}

TEST_CASE("the thread cache shares keys, forgets exited threads and stays bounded") {
  ProcessCache p(3);
  auto k1 = p.assign(10, match('a'));
  auto k2 = p.assign(11, match('a'));
  CHECK(k1.get() == k2.get());
  CHECK(k1->short_id == "aaaaaaaaaaaa");
  auto h = p.assign(12, CgroupMatch{});
  CHECK(h->is_host());
  CHECK(h->short_id == "host");
  p.erase(10);
  CHECK_FALSE(p.contains(10));
  p.assign(13, match('b'));
  p.assign(14, match('b'));  // full: starts afresh
  CHECK(p.resets() == 1);
  CHECK(p.size() == 1);
}

TEST_CASE("the /proc fallback reads /proc/TID/cgroup") {
  char tmpl[] = "/tmp/saker-ct-proc-XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  const std::string root = tmpl;
  std::filesystem::create_directories(root + "/42");
  std::ofstream(root + "/42/cgroup") << "0::/libpod_parent/libpod-" << std::string(64, 'e') << "\n";
  const std::string text = read_proc_cgroup(42, root);
  CHECK(match_cgroups(text).id == std::string(64, 'e'));
  CHECK(read_proc_cgroup(43, root).empty());
  CHECK(read_proc_cgroup(-1, root).empty());
  // This very process, through the real /proc.
  CHECK_FALSE(read_proc_cgroup(::getpid()).empty());
  std::filesystem::remove_all(root);
}
