// libFuzzer target for everything in the plugin that reads untrusted bytes: the
// streaming document reader (fed in chunks whose size the input chooses), the record
// checker, record timestamps, and the field extractor over every record found and over
// the raw input itself (as an event injected by another plugin would be): every field,
// without an argument and with several (keys, dotted paths, JSON pointers, indexes).
// Invariants checked: the checker's output of a record is itself accepted and unchanged
// by a second pass; the splitter's records are JSON objects.
// Build: cmake -DSAKER_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
// Seeds: the Stratus Red Team files (see the README).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "event_time.h"
#include "extractor.h"
#include "json_check.h"
#include "record_splitter.h"

using namespace saker;
using namespace saker::cloudtrail;

namespace {

void extract_all(FieldExtractor& ex, const std::vector<sdk::FieldInfo>& infos,
                 std::string_view event, uint64_t num) {
  saker_event e{sizeof(saker_event), 0, 0, 0, num, reinterpret_cast<const uint8_t*>(event.data()),
                event.size()};
  sdk::Event evt(&e);
  sdk::ExtractArena arena;
  for (uint32_t i = 0; i < infos.size(); ++i) {
    for (const char* arg : {static_cast<const char*>(nullptr), "userName", "a.b.0.c",
                            "/requestParameters/x~1y/0", "~"}) {
      saker_extract_request raw{};
      raw.size = sizeof(raw);
      raw.field_id = i;
      raw.has_arg = arg != nullptr;
      raw.arg_key = arg;
      arena.reset();
      sdk::ExtractRequest req(&raw, &arena);
      ex.extract(evt, req);
      arena.seal();
      req.publish();
      for (uint64_t v = 0; v < raw.num_values; ++v) {
        if (infos[i].type == sdk::FieldType::kString && raw.values.str[v] == nullptr) abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static FieldExtractor extractor;
  static const std::vector<sdk::FieldInfo> infos = extractor.infos();
  static uint64_t num = 0;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t chunk = size ? 1 + data[0] % 64 : 1;

  SplitterLimits limits;
  limits.max_record_bytes = 4096;
  limits.max_depth = 16;
  RecordSplitter splitter(
      limits,
      [&](std::string_view record, uint64_t) {
        if (record.empty() || record.front() != '{') abort();
        std::string again;
        CheckResult r = compact_json(record, limits.max_depth, &again);
        if (!r.ok || again != record) abort();
        (void)record_time(record);
        extract_all(extractor, infos, record, ++num);
      },
      [](Problem, uint64_t, std::string_view) {});
  for (size_t i = 0; i < in.size(); i += chunk) splitter.feed(in.substr(i, chunk));
  splitter.finish();

  std::string out;
  (void)compact_json(in, 32, &out);
  (void)parse_rfc3339(in);
  extract_all(extractor, infos, in, ++num);
  return 0;
}
