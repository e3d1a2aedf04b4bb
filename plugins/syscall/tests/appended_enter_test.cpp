// Every current-schema exit event whose descriptor is an appended enter parameter ("fd",
// e.g. read, mmap, sendto, fcntl, ioctl, lseek, splice...): one event of each is written
// with saker's CaptureWriter into a capture whose process table holds a file (fd 3) and a
// connected TCP socket (fd 4), replayed by the ReplayEngine into a State, and the fd and
// socket fields a rule reads are extracted through the plugin's field table. The events are
// generated from the event table, so a new event type is covered as soon as it exists.
#include <arpa/inet.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "capture_writer.h"
#include "engine/replay_engine.h"
#include "event_builder.h"
#include "event_table.h"
#include "event_view.h"
#include "fields/field_table.h"
#include "state/state.h"

namespace scap = saker::syscall::scap;
namespace fields = saker::syscall::fields;
using saker::syscall::State;
using saker::syscall::scap::ParamType;

namespace {

constexpr std::uint64_t kTid = 100;

// The bytes a parameter of type `t` is written with: its fixed width, 2 for an fd list (a
// count of 0), 0 for the other variable types (written empty).
std::size_t width(ParamType t) {
  return t == ParamType::kFdList ? 2 : scap::fixed_width(t);
}

// The exit types of the current schema whose "fd" parameter comes from the enter event.
std::vector<std::uint16_t> types_with_appended_fd() {
  std::vector<std::uint16_t> out;
  for (std::uint16_t t = 1; t < scap::kEventTypeCount; t += 2) {
    const scap::EventInfo& x = scap::event_info(t);
    if (!x.name || (x.flags & (scap::kEfOldVersion | scap::kEfUnused | scap::kEfCreatesFd))) {
      continue;
    }
    auto i = scap::find_param(t, "fd");
    if (!i || x.params[*i].type != ParamType::kFd || *i == 0) continue;
    if (!scap::find_param(scap::paired_event(t), "fd")) continue;  // not an enter parameter
    out.push_back(t);
  }
  return out;
}

// The exit event of `type` with every parameter filled: the result a failure (-EPERM, so
// no parser changes the descriptor), "fd" = `fd`, numbers 0, buffers and addresses empty.
std::vector<std::uint8_t> exit_event(std::uint16_t type, std::int64_t fd, std::uint64_t ts) {
  const scap::EventInfo& x = scap::event_info(type);
  std::vector<std::vector<std::uint8_t>> params;
  for (std::uint32_t i = 0; i < x.nparams; ++i) {
    const std::size_t w = width(x.params[i].type);
    std::vector<std::uint8_t> p(w, 0);
    const bool is_fd = std::string_view(x.params[i].name) == "fd";
    if (w == 8 && (i == 0 || is_fd)) {
      const std::int64_t v = is_fd ? fd : -1;  // -EPERM
      std::memcpy(p.data(), &v, 8);
    }
    params.push_back(std::move(p));
  }
  std::size_t len = scap::kEventHeaderSize + 2 * params.size();
  for (const auto& p : params) len += p.size();
  std::vector<std::uint8_t> out(len);
  scap::encode_header(out.data(), {ts, kTid, static_cast<std::uint32_t>(len), type,
                                   static_cast<std::uint32_t>(params.size())});
  std::size_t pos = scap::kEventHeaderSize;
  for (const auto& p : params) {
    scap::store_le(out.data() + pos, static_cast<std::uint16_t>(p.size()));
    pos += 2;
  }
  for (const auto& p : params) {
    std::memcpy(out.data() + pos, p.data(), p.size());
    pos += p.size();
  }
  return out;
}

scap::CaptureTables tables() {
  scap::CaptureTables t;
  scap::ProcessEntry p;
  p.tid = p.pid = kTid;
  p.ptid = 1;
  p.comm = p.exe = "cat";
  p.exepath = "/usr/bin/cat";
  p.cwd = "/";
  scap::FdEntry file;
  file.fd = 3;
  file.type = scap::FdType::kFileV2;
  file.name = "/etc/passwd";
  file.ino = 42;
  p.fds.push_back(file);
  scap::FdEntry sock;
  sock.fd = 4;
  sock.type = scap::FdType::kIpv4Sock;
  inet_pton(AF_INET, "10.0.0.1", sock.sip.data());
  inet_pton(AF_INET, "10.0.0.2", sock.dip.data());
  sock.sport = 40000;
  sock.dport = 80;
  sock.l4proto = 2;
  p.fds.push_back(sock);
  t.processes.push_back(p);
  return t;
}

// The field's value as the plugin gives it to the host, as text ("<NA>": no value).
std::string get(State& st, const saker::syscall::EventContext& ec, std::string_view name,
                std::string_view key = {}) {
  static const auto table = fields::all_fields();
  for (const auto& f : table) {
    if (f.info.name != name || !f.key.empty()) continue;
    saker_extract_request r{};
    r.has_arg = key.empty() ? 0 : 1;
    std::string k(key);
    r.arg_key = k.c_str();
    saker::sdk::ExtractArena arena;
    saker::sdk::ExtractRequest req(&r, &arena);
    fields::FieldCtx c{st, ec, req, key, !key.empty()};
    f.fn(c);
    arena.seal();
    req.publish();
    if (r.num_values == 0) return "<NA>";
    switch (f.info.type) {
      case saker::sdk::FieldType::kString:
        return r.values.str[0];
      case saker::sdk::FieldType::kS64:
        return std::to_string(r.values.s64[0]);
      case saker::sdk::FieldType::kIpAddr: {
        char buf[INET6_ADDRSTRLEN] = {};
        inet_ntop(r.values.bytes[0].len == 4 ? AF_INET : AF_INET6, r.values.bytes[0].ptr, buf,
                  sizeof buf);
        return buf;
      }
      default:
        return std::to_string(r.values.u64[0]);
    }
  }
  FAIL("no field ", name);
  return {};
}

// Writes one event per type acting on `fd`, replays the capture and calls check(type, ctx)
// for each.
template <typename Check>
void replay_each(std::int64_t fd, Check check) {
  const auto types = types_with_appended_fd();
  REQUIRE(types.size() > 20);
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("saker_appended_enter_" + std::to_string(getpid()) + "_" + std::to_string(fd) + ".scap"))
          .string();
  {
    scap::CaptureWriter w(path);
    w.write_header(tables());
    std::uint64_t ts = 1000;
    for (auto t : types) {
      auto bytes = exit_event(t, fd, ts++);
      scap::EventView v;
      REQUIRE(v.assign(bytes));
      w.write_event(v, 0);
    }
    w.close();
  }
  saker::syscall::ReplayEngine eng(path);
  State st;
  st.seed(eng.capture());
  saker::sdk::EventWriter out;
  std::size_t seen = 0;
  saker::sdk::BatchStatus status;
  do {
    out.reset();
    status = eng.next_batch(out, 0);
    const saker_event* const* evs = out.finish();
    for (std::size_t i = 0; i < out.count(); ++i) {
      std::span<const std::uint8_t> payload(evs[i]->data, evs[i]->data_len);
      REQUIRE(st.parse(payload));
      const auto* ec = st.context_for(payload);
      REQUIRE(ec);
      check(types[seen++], st, *ec);
    }
  } while (status == saker::sdk::BatchStatus::kOk);
  CHECK(seen == types.size());
  std::filesystem::remove(path);
}

}  // namespace

TEST_CASE("current exits with an appended enter fd resolve a file descriptor") {
  replay_each(3, [](std::uint16_t type, State& st, const saker::syscall::EventContext& ec) {
    CAPTURE(scap::event_info(type).name);
    CHECK(get(st, ec, "fd.num") == "3");
    CHECK(get(st, ec, "fd.name") == "/etc/passwd");
    CHECK(get(st, ec, "fd.type") == "file");
    CHECK(get(st, ec, "fd.typechar") == "f");
    CHECK(get(st, ec, "fd.directory") == "/etc");
    CHECK(get(st, ec, "fd.filename") == "passwd");
    CHECK(get(st, ec, "fd.ino") == "42");
    CHECK(get(st, ec, "evt.arg", "fd") == "<f>/etc/passwd");
    CHECK(get(st, ec, "evt.args").find("fd=3(<f>/etc/passwd)") != std::string::npos);
    CHECK(get(st, ec, "proc.name") == "cat");
  });
}

TEST_CASE("current exits with an appended enter fd resolve a connected socket") {
  replay_each(4, [](std::uint16_t type, State& st, const saker::syscall::EventContext& ec) {
    CAPTURE(scap::event_info(type).name);
    CHECK(get(st, ec, "fd.num") == "4");
    CHECK(get(st, ec, "fd.name") == "10.0.0.1:40000->10.0.0.2:80");
    CHECK(get(st, ec, "fd.type") == "ipv4");
    CHECK(get(st, ec, "fd.cip") == "10.0.0.1");
    CHECK(get(st, ec, "fd.cport") == "40000");
    CHECK(get(st, ec, "fd.sip") == "10.0.0.2");
    CHECK(get(st, ec, "fd.sport") == "80");
    CHECK(get(st, ec, "fd.l4proto") == "tcp");
    CHECK(get(st, ec, "fd.sockfamily") == "ip");
    CHECK(get(st, ec, "evt.args").find("fd=4(<4t>10.0.0.1:40000->10.0.0.2:80)") !=
          std::string::npos);
  });
}

TEST_CASE("user list events reach the state in order, numbered but not delivered") {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("saker_list_events_" + std::to_string(getpid()) + ".scap"))
                               .string();
  auto tbl = tables();
  tbl.processes[0].uid = 1234;
  {
    scap::CaptureWriter w(path);
    w.write_header(tbl);
    auto write = [&](const std::vector<std::uint8_t>& bytes) {
      scap::EventView v;
      REQUIRE(v.assign(bytes));
      w.write_event(v, 0);
    };
    const auto close_x = *scap::find_event("close", false);
    write(exit_event(close_x, 3, 1000));
    write(saker::syscall::testing::EventBuilder("useradded", true, kTid, 1001)
              .u32(1234)
              .u32(1234)
              .str("alice")
              .str("/home/alice")
              .str("/bin/sh")
              .str("")
              .build());
    write(exit_event(close_x, 3, 1002));
    w.close();
  }
  saker::syscall::ReplayEngine eng(path);
  State st;
  st.seed(eng.capture());
  eng.on_list_event([&](std::span<const std::uint8_t> ev) { CHECK(st.apply_list_event(ev)); });
  std::vector<std::string> names;
  std::vector<std::uint64_t> undelivered;
  saker::sdk::EventWriter out;
  saker::sdk::BatchStatus status;
  do {
    out.reset();
    status = eng.next_batch(out, 0);
    const saker_event* const* evs = out.finish();
    for (std::size_t i = 0; i < out.count(); ++i) {
      std::span<const std::uint8_t> payload(evs[i]->data, evs[i]->data_len);
      REQUIRE(st.parse(payload));
      names.push_back(get(st, *st.context_for(payload), "user.name"));
      undelivered.push_back(evs[i]->num);
    }
  } while (status == saker::sdk::BatchStatus::kOk);
  // The event before the list event does not know the user yet; the one after does.
  CHECK(names == std::vector<std::string>{"<NA>", "alice"});
  CHECK(undelivered == std::vector<std::uint64_t>{0, 1});
  std::filesystem::remove(path);
}
