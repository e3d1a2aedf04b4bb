// The replay harness (see replay_harness.h).
#include "replay_harness.h"

#include <atomic>
#include <cstring>

#include "output_format.h"
#include "test_util.h"

namespace saker::syscall::testing {
namespace {

constexpr char kSep = '\x1f';

class RowSink : public core::EventSink {
 public:
  RowSink(core::Engine& e, const std::vector<std::string>& fields) {
    std::string fmt;
    for (const auto& f : fields) fmt += (fmt.empty() ? "%" : std::string(1, kSep) + "%") + f;
    format_.emplace(core::OutputFormat::compile(fmt, "syscall", e.fields(), e.slots()));
  }
  void on_event(core::EventContext& ctx) noexcept override {
    Row r;
    const saker_event* ev = ctx.event();
    r.num = ev->num;
    r.ts = ev->ts;
    r.type = ev->type;
    if (ev->data_len >= 16) std::memcpy(&r.tid, ev->data + 8, 8);
    std::string msg;
    format_->render(ctx, &msg, nullptr);
    size_t pos = 0;
    while (true) {
      size_t end = msg.find(kSep, pos);
      r.values.push_back(msg.substr(pos, end == std::string::npos ? end : end - pos));
      if (end == std::string::npos) break;
      pos = end + 1;
    }
    rows.push_back(std::move(r));
  }
  std::vector<Row> rows;

 private:
  std::optional<core::OutputFormat> format_;
};

}  // namespace

std::string capture(const std::string& name) {
  return std::string(SAKER_TESTDATA_DIR) + "/scap/" + name;
}

std::vector<Row> replay(const std::string& capture_path, const std::vector<std::string>& fields,
                        const std::string& extra_config) {
  auto e = test::make_engine();
  e->plugins().load({"syscall", "libsyscall.so",
                     R"({"engine":{"kind":"replay","replay":{"capture_file":")" + capture_path +
                         R"("}})" + extra_config + "}",
                     ""});
  e->register_fields();
  RowSink sink(*e, fields);
  e->set_sink(&sink);
  std::atomic<bool> stop{false};
  e->run({"syscall"}, stop);
  return std::move(sink.rows);
}

}  // namespace saker::syscall::testing
