// Container events: encoding what the plugin injects, decoding it back, reading the older
// forms captures carry (PPME_CONTAINER_E, CONTAINER_JSON_E, Falco's async "container"), and
// malformed payloads (an error to count and skip, never a crash). Plus the Announcer.
#include "container_event.h"

#include <doctest/doctest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "announcer.h"
#include "event_header.h"

using namespace saker::container;
namespace scap = saker::syscall::scap;

namespace {

const std::string kId = "0123456789ab" + std::string(52, 'c');

ContainerInfo sample() {
  ContainerInfo i;
  i.id = kId;
  i.type = "podman";
  i.has_metadata = true;
  i.name = "web";
  i.image = "localhost/app:1.0";
  i.image_id = std::string(64, 'e');
  i.image_repository = "localhost/app";
  i.image_tag = "1.0";
  i.image_digest = "sha256:" + std::string(64, 'd');
  i.privileged = true;
  i.host_pid = false;
  i.host_network = true;
  i.mounts = {{"/etc", "/host-etc", "", false, "rprivate"}, {"/tmp/x", "/data", "z", true, ""}};
  i.labels = {
      {"io.kubernetes.pod.name", "web-0"}, {"io.kubernetes.pod.namespace", "prod"}, {"app", "web"}};
  i.ip = "10.0.0.7";
  i.healthcheck = "curl -f http://localhost/";
  i.created_ts = 1730971086123456789ull;
  return i;
}

// A scap event of `type` with the given parameters (lens of `lw` bytes).
std::vector<uint8_t> event(uint16_t type, const std::vector<std::string>& params, size_t lw) {
  size_t len = scap::kEventHeaderSize + lw * params.size();
  for (const auto& p : params) len += p.size();
  std::vector<uint8_t> out(len);
  scap::encode_header(
      out.data(), {42, 7, static_cast<uint32_t>(len), type, static_cast<uint32_t>(params.size())});
  uint8_t* l = out.data() + scap::kEventHeaderSize;
  uint8_t* v = l + lw * params.size();
  for (const auto& p : params) {
    if (lw == 2)
      scap::store_le(l, static_cast<uint16_t>(p.size()));
    else
      scap::store_le(l, static_cast<uint32_t>(p.size()));
    l += lw;
    std::memcpy(v, p.data(), p.size());
    v += p.size();
  }
  return out;
}
std::string z(std::string s) { return s + '\0'; }
std::string u32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }

}  // namespace

TEST_CASE("an added container event round-trips every field rules use") {
  const ContainerInfo in = sample();
  auto ev = events::encode_added(in, 1234);
  const auto h = scap::decode_header(ev.data());
  CHECK(h.type == events::kContainerJson2E);
  CHECK(h.ts == 1234);
  CHECK(h.len == ev.size());
  CHECK(h.tid == events::kNoThread);
  CHECK(h.nparams == 1);
  auto d = events::decode(ev);
  REQUIRE(d.kind == events::Decoded::Kind::kAdded);
  const ContainerInfo& o = d.info;
  CHECK(o.id == in.id);
  CHECK(o.type == "podman");
  CHECK(o.has_metadata);
  CHECK(o.name == "web");
  CHECK(o.image == in.image);
  CHECK(o.image_id == in.image_id);
  CHECK(o.image_repository == "localhost/app");
  CHECK(o.image_tag == "1.0");
  CHECK(o.image_digest == in.image_digest);
  CHECK(o.privileged == std::optional<bool>(true));
  CHECK(o.host_pid == std::optional<bool>(false));
  CHECK(o.host_network == std::optional<bool>(true));
  CHECK_FALSE(o.host_ipc.has_value());
  REQUIRE(o.mounts.size() == 2);
  CHECK(o.mounts[0].source == "/etc");
  CHECK(o.mounts[0].dest == "/host-etc");
  CHECK_FALSE(o.mounts[0].rdwr);
  CHECK(o.mounts[0].propagation == "rprivate");
  CHECK(o.mounts[1].mode == "z");
  CHECK(o.mounts[1].rdwr);
  CHECK(o.labels == in.labels);
  CHECK(o.ip == "10.0.0.7");
  CHECK(o.healthcheck == in.healthcheck);
  CHECK(o.created_ts == in.created_ts);
  CHECK(o.pod_name == "web-0");
  CHECK(o.pod_namespace == "prod");
}

TEST_CASE("the JSON is libsinsp's container document") {
  auto j = nlohmann::json::parse(events::to_json(sample()));
  const auto& c = j.at("container");
  CHECK(c.at("id") == "0123456789ab");
  CHECK(c.at("full_id") == kId);
  CHECK(c.at("type") == 11);  // podman
  CHECK(c.at("Mounts").at(0).at("Destination") == "/host-etc");
  CHECK(c.at("created_time") == 1730971086);
  CHECK(events::type_code("docker") == 0);
  CHECK(events::type_code("cri-o") == 8);
  CHECK(events::type_name(7) == "containerd");
}

TEST_CASE("a removed container event is Falco's async container_removed") {
  auto ev = events::encode_removed(sample(), 99);
  CHECK(scap::decode_header(ev.data()).type == events::kAsyncE);
  auto d = events::decode(ev);
  CHECK(d.kind == events::Decoded::Kind::kRemoved);
  CHECK(d.info.id == kId);
  CHECK(d.info.name == "web");
}

TEST_CASE("older captures' container events are read") {
  SUBCASE("PPME_CONTAINER_E: id, type, name, image") {
    auto d = events::decode(
        event(events::kContainerE, {z("0123456789ab"), u32(0), z("db"), z("redis:7")}, 2));
    REQUIRE(d.kind == events::Decoded::Kind::kAdded);
    CHECK(d.info.id == "0123456789ab");
    CHECK(d.info.type == "docker");
    CHECK(d.info.name == "db");
    CHECK(d.info.image_repository == "redis");
    CHECK(d.info.image_tag == "7");
  }
  SUBCASE("PPME_CONTAINER_JSON_E (16-bit lengths), short id only, no privileged key") {
    auto d = events::decode(
        event(events::kContainerJsonE,
              {z(R"({"container":{"id":"0123456789ab","type":6,"name":"k8s_app","image":"nginx",)"
                 R"("Mounts":null,"labels":null}})")},
              2));
    REQUIRE(d.kind == events::Decoded::Kind::kAdded);
    CHECK(d.info.id == "0123456789ab");
    CHECK(d.info.type == "cri");
    CHECK_FALSE(d.info.privileged.has_value());
    CHECK(d.info.mounts.empty());
  }
  SUBCASE("Falco's container plugin: async event named container, payload NUL-terminated") {
    const std::string json = events::to_json(sample());
    auto d = events::decode(event(events::kAsyncE, {u32(3), z("container"), z(json)}, 4));
    REQUIRE(d.kind == events::Decoded::Kind::kAdded);
    CHECK(d.info.id == kId);
    CHECK(d.info.privileged == std::optional<bool>(true));
  }
  SUBCASE("fields beside the container key (some plugin versions)") {
    auto d = events::decode(event(events::kAsyncE,
                                  {u32(3), z("container"),
                                   R"({"container":null,"id":"abcdefabcdef","full_id":")" + kId +
                                       R"(","type":0,"name":"x","privileged":true})"},
                                  4));
    REQUIRE(d.kind == events::Decoded::Kind::kAdded);
    CHECK(d.info.id == kId);
    CHECK(d.info.name == "x");
    CHECK(d.info.privileged == std::optional<bool>(true));
  }
  SUBCASE("another plugin's async event is none of ours") {
    auto d = events::decode(event(events::kAsyncE, {u32(3), z("k8s_meta"), z("{}")}, 4));
    CHECK(d.kind == events::Decoded::Kind::kNone);
  }
  SUBCASE("a syscall event is none of ours") {
    CHECK(events::decode(event(3, {u32(1)}, 2)).kind == events::Decoded::Kind::kNone);
  }
}

TEST_CASE("malformed container events throw a reason, never crash") {
  auto json2 = [](std::string payload) {
    return event(events::kContainerJson2E, {std::move(payload)}, 4);
  };
  CHECK_THROWS_WITH_AS(events::decode(json2(z("{not json"))), doctest::Contains("not JSON"),
                       std::runtime_error);
  CHECK_THROWS_WITH_AS(events::decode(json2(z(R"({"container":{"name":"x"}})"))),
                       doctest::Contains("no container id"), std::runtime_error);
  CHECK_THROWS_AS(events::decode(json2(z("[1,2]"))), std::runtime_error);
  CHECK_THROWS_AS(events::decode(json2("")), std::runtime_error);
  CHECK_THROWS_AS(events::decode(event(events::kContainerE, {z("abc")}, 2)), std::runtime_error);
  // Truncated: the header claims more bytes than there are.
  auto ev = events::encode_added(sample(), 1);
  ev.resize(ev.size() / 2);
  CHECK_THROWS_AS(events::decode(ev), std::runtime_error);
  // Lengths that do not add up.
  auto bad = events::encode_added(sample(), 1);
  scap::store_le(bad.data() + scap::kEventHeaderSize, uint32_t{0xffffff});
  CHECK_THROWS_AS(events::decode(bad), std::runtime_error);
  // Shorter than a header: nothing to read.
  const uint8_t tiny[4] = {1, 2, 3, 4};
  CHECK(events::decode(tiny).kind == events::Decoded::Kind::kNone);
  // Wrong JSON types are ignored field by field.
  auto d = events::decode(
      json2(z(R"({"container":{"id":"abc","name":5,"privileged":"yes","Mounts":[1,{"Source":2}],)"
              R"("labels":{"a":1,"b":"c"},"created_time":-5,"type":"podman"}})")));
  CHECK(d.info.id == "abc");
  CHECK(d.info.name.empty());
  CHECK_FALSE(d.info.privileged.has_value());
  REQUIRE(d.info.mounts.size() == 1);
  CHECK(d.info.labels.size() == 1);
  CHECK(d.info.created_ts == 0);
  CHECK(d.info.type == "podman");
}

TEST_CASE("the announcer says each container once per life") {
  Announcer a(2);
  CHECK(a.should_add("a"));
  CHECK_FALSE(a.should_add("a"));  // create, then start
  CHECK(a.should_remove("a"));
  CHECK_FALSE(a.should_remove("a"));  // die, then remove
  CHECK(a.should_add("a"));           // restarted
  CHECK_FALSE(a.should_remove("b"));  // never announced
  CHECK(a.should_add("b"));
  CHECK(a.should_add("c"));  // over capacity: "a" forgotten
  CHECK(a.should_add("a"));
  CHECK_FALSE(a.should_add("c"));
  Announcer big(4);  // many short-lived containers: the long-running one stays announced
  CHECK(big.should_add("keep"));
  for (int i = 0; i < 100; ++i) {
    CHECK(big.should_add("x" + std::to_string(i)));
    CHECK(big.should_remove("x" + std::to_string(i)));
  }
  CHECK_FALSE(big.should_add("keep"));
}
