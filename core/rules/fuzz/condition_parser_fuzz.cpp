// libFuzzer target: any byte string fed to the condition parser must either parse or throw
// ParseError, and a parsed AST must clone, compare equal, print and encode without crashing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "rules/syntax/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  try {
    saker::rules::ExprPtr ast = saker::rules::parse_condition(input);
    saker::rules::ExprPtr copy = ast->clone();
    if (!saker::rules::equals(*ast, *copy)) __builtin_trap();
    (void)saker::rules::as_string(*ast);
    (void)saker::rules::to_json(*ast);
  } catch (const saker::rules::ParseError&) {
  }
  saker::rules::Parser prefix(input);
  try {
    (void)prefix.parse_field_or_transformer();
  } catch (const saker::rules::ParseError&) {
  }
  return 0;
}
