// libFuzzer target for everything that reads attacker-controlled bytes: the body
// splitter (EventList / Event / array), the file document stream, timestamps, and the
// field extractor over each event found (every field, with and without arguments).
// Build: cmake -DSAKER_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
// Seeds: one file per line of the Panther events (see the README).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "body_parser.h"
#include "extractor.h"

using namespace saker;
using namespace saker::k8saudit;

namespace {

void extract_all(FieldExtractor& ex, const std::vector<sdk::FieldInfo>& infos,
                 std::string_view event, uint64_t num) {
  saker_event e{sizeof(saker_event),  0,   0,
                event_time(event, 0), num, reinterpret_cast<const uint8_t*>(event.data()),
                event.size()};
  sdk::ExtractArena arena;
  for (uint32_t i = 0; i < infos.size(); ++i) {
    for (const char* arg : {static_cast<const char*>(nullptr), "0", "/requestObject/spec"}) {
      saker_extract_request raw{};
      raw.size = sizeof(raw);
      raw.field_id = i;
      raw.has_arg = arg != nullptr;
      raw.arg_key = arg;
      arena.reset();
      sdk::ExtractRequest req(&raw, &arena);
      ex.extract(sdk::Event(&e), req);
      arena.seal();
      req.publish();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FieldExtractor ex(ParseLimits{}, nullptr);
  static const std::vector<sdk::FieldInfo> infos = ex.infos();
  static uint64_t num = 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ParseLimits limits;
  limits.max_event_bytes = 64 * 1024;
  std::vector<std::string_view> events;
  if (split_document(text, limits, &events) == ParseError::kNone) {
    for (auto ev : events) extract_all(ex, infos, ev, ++num);
  }
  DocumentStream docs(4096, [&](std::string_view d) {
    std::vector<std::string_view> ignored;
    split_document(d, limits, &ignored);
  });
  docs.feed(text.substr(0, size / 2));
  docs.feed(text.substr(size / 2));
  docs.finish();
  uint64_t ns = 0;
  parse_timestamp(text.substr(0, 64), &ns);
  // The raw bytes as an event too: the extractor must cope with anything injected.
  extract_all(ex, infos, text, ++num);
  return 0;
}
