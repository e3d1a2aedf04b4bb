// Helpers for the cross-component tests.
#include "test_util.h"

#include <unistd.h>

#include <fstream>

namespace saker::test {

std::unique_ptr<core::Engine> make_engine(core::AlertFormatSettings fmt, size_t queue_capacity) {
  (void)0;
  core::EngineOptions o;
  o.plugins_dir = SAKER_PLUGIN_DIR;
  o.hostname = "test-host";
  o.alert_format = fmt;
  o.outputs_queue_capacity = queue_capacity;
  return std::make_unique<core::Engine>(o);
}

void FormatSink::add(const std::string& source, const std::string& format) {
  formats_.emplace(source, core::OutputFormat::compile(format, source, engine_.fields(),
                                                       engine_.slots()));
}

void FormatSink::on_event(core::EventContext& ctx) noexcept {
  events++;
  auto it = formats_.find(ctx.source());
  if (it == formats_.end()) return;
  core::AlertRecord a;
  a.time = ctx.event()->ts;
  a.priority = core::Priority::kWarning;
  a.rule = "test";
  a.source = ctx.source();
  a.tags = {"b", "a"};
  it->second.render(ctx, &a.message, &a.fields);
  engine_.publish(std::move(a));
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/saker-test-XXXXXX";
  path_ = mkdtemp(tmpl);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> read_lines(const std::filesystem::path& p) {
  std::vector<std::string> out;
  std::ifstream in(p);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace saker::test
