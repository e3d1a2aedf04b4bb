// EventView on hand-built events: typed access, bounds checks, decoding of addresses.
#include "event_view.h"

#include <doctest/doctest.h>

#include <vector>

#include "event_table.h"
#include "flag_tables.h"
#include "param_format.h"

namespace scap = saker::syscall::scap;

namespace {

// Builds a v2 event from raw parameter values.
std::vector<std::uint8_t> make_event(std::uint16_t type,
                                     const std::vector<std::vector<std::uint8_t>>& params) {
  std::vector<std::uint8_t> b(scap::kEventHeaderSize + 2 * params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    scap::store_le(b.data() + scap::kEventHeaderSize + 2 * i,
                   static_cast<std::uint16_t>(params[i].size()));
  }
  for (const auto& p : params) b.insert(b.end(), p.begin(), p.end());
  scap::encode_header(b.data(), {123, 42, static_cast<std::uint32_t>(b.size()), type,
                                 static_cast<std::uint32_t>(params.size())});
  return b;
}

template <typename T>
std::vector<std::uint8_t> le(T v) {
  std::vector<std::uint8_t> b(sizeof(T));
  scap::store_le(b.data(), v);
  return b;
}

std::vector<std::uint8_t> str(const std::string& s) {
  std::vector<std::uint8_t> b(s.begin(), s.end());
  b.push_back(0);
  return b;
}

}  // namespace

TEST_CASE("typed access to an openat exit event") {
  auto b =
      make_event(scap::kOpenatV2X, {le<std::int64_t>(5), le<std::int64_t>(-100), str("/etc/passwd"),
                                    le<std::uint32_t>(1 | 4), le<std::uint32_t>(0644)});
  auto v = scap::EventView::make(b);
  REQUIRE(v);
  CHECK(v->ts() == 123);
  CHECK(v->tid() == 42);
  CHECK(v->name() == "openat");
  CHECK(v->param_int(0) == 5);
  CHECK(v->param_int(1) == -100);
  CHECK(v->param_str(2) == "/etc/passwd");
  CHECK(scap::format_param(*v, 3) == "5(O_RDONLY|O_CREAT)");
  CHECK(scap::format_param(*v, 4) == "0644");
  CHECK(v->param(7).empty());
  CHECK_FALSE(v->param_int(9));
  CHECK(v->param_index("name") == 2u);
  CHECK_FALSE(v->param_index("dev"));  // beyond this event's nparams
}

TEST_CASE("IPv4 tuple and sockaddr decode") {
  std::vector<std::uint8_t> tuple = {2, 1, 2, 3, 4};
  auto sp = le<std::uint16_t>(80);
  tuple.insert(tuple.end(), sp.begin(), sp.end());
  tuple.insert(tuple.end(), {5, 6, 7, 8});
  auto dp = le<std::uint16_t>(1234);
  tuple.insert(tuple.end(), dp.begin(), dp.end());
  auto b = make_event(scap::kConnectX, {le<std::int64_t>(0), tuple, le<std::int64_t>(3)});
  auto v = scap::EventView::make(b);
  REQUIRE(v);
  CHECK(scap::format_param(*v, 1) == "1.2.3.4:80->5.6.7.8:1234");
  auto t = v->param_socktuple(1);
  REQUIRE(t);
  CHECK(t->src.port == 80);
  std::vector<std::uint8_t> addr = {10};
  addr.resize(17, 0);
  addr[16] = 1;
  auto port = le<std::uint16_t>(443);
  addr.insert(addr.end(), port.begin(), port.end());
  auto c = make_event(scap::kConnectE, {le<std::int64_t>(3), addr});
  auto cv = scap::EventView::make(c);
  REQUIRE(cv);
  CHECK(scap::format_param(*cv, 1) == "::1:443");
}

TEST_CASE("malformed events are rejected, never overrun") {
  auto b = make_event(scap::kReadX, {le<std::int64_t>(3), str("abc")});
  std::string why;
  for (std::size_t n = 0; n < b.size(); ++n) {
    CHECK_FALSE(scap::EventView::make(std::span(b.data(), n), &why));
  }
  auto bad = b;
  scap::store_le(bad.data() + scap::kEventHeaderSize, std::uint16_t{0xffff});
  CHECK_FALSE(scap::EventView::make(bad, &why));
  CHECK(!why.empty());
  auto many = b;
  scap::store_le(many.data() + 22, std::uint32_t{1000});
  CHECK_FALSE(scap::EventView::make(many));
}

TEST_CASE("flag formatting") {
  CHECK(scap::format_flags(3, &saker::syscall::scap::flags::kFileFlags, false).empty() == false);
  CHECK(scap::format_errno(-13) == "-13(EACCES)");
  CHECK(scap::format_errno(5) == "5");
}

TEST_CASE("assign re-points a view in place and leaves an empty view on failure") {
  auto open =
      make_event(scap::kOpenatV2X, {le<std::int64_t>(5), le<std::int64_t>(-100), str("/etc/passwd"),
                                    le<std::uint32_t>(1), le<std::uint32_t>(0644)});
  auto close = make_event(scap::kCloseX, {le<std::int64_t>(0)});
  scap::EventView v;
  REQUIRE(v.assign(open));
  CHECK(v.nparams() == 5);
  CHECK(v.param_str(2) == "/etc/passwd");
  REQUIRE(v.assign(close));
  CHECK(v.name() == "close");
  CHECK(v.nparams() == 1);
  CHECK(v.param_int(0) == 0);
  CHECK(v.param(2).empty());
  auto bad = open;
  bad.pop_back();  // the event is now shorter than its header says
  std::string why;
  CHECK_FALSE(v.assign(bad, &why));
  CHECK(why == "event length outside the buffer");
  CHECK(v.nparams() == 0);
  CHECK(v.raw().empty());
  CHECK_FALSE(v.param_int(0));
}

TEST_CASE("the inline assign's large-payload types are the event table's") {
  for (std::uint32_t t = 0; t < scap::kEventTypeCount + 2; ++t) {
    const auto type = static_cast<std::uint16_t>(t);
    const bool large = (scap::event_info(type).flags & scap::kEfLargePayload) != 0;
    CHECK_MESSAGE(scap::EventView::has_large_lengths(type) == large, t);
  }
}

TEST_CASE("narrow integers are sign-extended exactly for the signed parameter types") {
  using T = scap::ParamType;
  auto is_signed = [](T t) {
    return t == T::kInt8 || t == T::kInt16 || t == T::kInt32 || t == T::kInt64 ||
           t == T::kErrno || t == T::kFd || t == T::kPid;
  };
  for (std::uint16_t type = 0; type < scap::kEventTypeCount; ++type) {
    const scap::EventInfo& info = scap::event_info(type);
    if (info.nparams == 0 || scap::EventView::has_large_lengths(type)) continue;
    for (const std::size_t width : {std::size_t{1}, std::size_t{2}, std::size_t{4}}) {
      std::vector<std::vector<std::uint8_t>> params(info.nparams,
                                                    std::vector<std::uint8_t>(width, 0xff));
      const auto ev = make_event(type, params);
      auto v = scap::EventView::make(ev);
      REQUIRE(v);
      for (std::uint32_t i = 0; i < info.nparams; ++i) {
        const std::int64_t all_ones = static_cast<std::int64_t>((std::uint64_t{1} << (8 * width)) - 1);
        const std::int64_t want = is_signed(info.params[i].type) ? -1 : all_ones;
        if (v->param_int(i) != want) {
          CHECK_MESSAGE(v->param_int(i) == want, info.name, " parameter ", i, " width ", width);
          return;
        }
      }
    }
  }
}
