// libFuzzer target: any byte string loaded as a rules file must produce a LoadResult (no
// crash, no escaping exception); a second load into the same loader exercises the
// append/override paths against what the first one collected.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/loader/rules_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string content(reinterpret_cast<const char*>(data), size);
  saker::rules::RulesLoader loader;
  saker::rules::LoadResult first = loader.load_content("fuzz.yaml", content);
  (void)first.to_json();
  saker::rules::LoadResult second = loader.load_content("fuzz2.yaml", content);
  (void)second.to_text();
  return 0;
}
