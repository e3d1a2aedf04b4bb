// Load diagnostics of rules files: stable codes, locations, and the per-file result.
//
// Every problem found while reading, collecting or preprocessing rules is a Diagnostic
// with a stable code (Falco's LOAD_ERR_* errors and LOAD_* warnings, RULE-LANGUAGE.md
// §1.10), a message (Falco's text where the spec gives it), and a chain of locations
// from the outermost (the file's content) to the innermost (e.g. the condition expression).
// Errors are thrown as LoadError on the cold path and collected into a LoadResult; the
// first error stops a file, warnings accumulate.
#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace saker::rules {

enum class LoadCode {
  // errors
  kErrFileRead,
  kErrYamlParse,
  kErrYamlValidate,
  kErrCompileCondition,
  kErrCompileOutput,
  kErrValidate,
  kErrExtension,
  // warnings
  kUnknownSource,
  kUnsafeNaCheck,
  kNoEvttype,
  kUnknownFilter,
  kUnusedMacro,
  kUnusedList,
  kUnknownItem,
  kDeprecatedItem,
  kWarningExtension,
  kAppendNoValues,
  kExceptionNameNotUnique,
  kInvalidMacroName,
  kInvalidListName,
  kCompileCondition,
  kUnknownKey,
};

bool is_error(LoadCode code);
// "LOAD_ERR_YAML_VALIDATE", "LOAD_UNUSED_MACRO", ...
std::string_view code_name(LoadCode code);
// One-line description of the code (the JSON "codedesc").
std::string_view code_description(LoadCode code);

// A point in a rules file. line and column count from 1, offset (bytes) from 0.
struct Position {
  std::string name;  // file name
  uint32_t line = 0;
  uint32_t column = 0;
  uint32_t offset = 0;
};

struct Location {
  std::string item_type;  // "rule", "rule condition", "condition expression", "list item", ...
  std::string item_name;
  Position position;
};

// The chain of locations describing where something is; copied into diagnostics.
struct Context {
  std::vector<Location> locations;
  Context child(std::string item_type, std::string item_name, Position pos) const;
  const Position* innermost() const;
};

struct Diagnostic {
  LoadCode code = LoadCode::kErrValidate;
  std::string message;
  Context context;
  std::string snippet;  // the file line of the innermost location with a caret under it
  // "file:line:column: LOAD_ERR_...: message (in rule 'x')"
  std::string to_text() const;
};

// Thrown by the reader, the collector and the preprocessor on the first error.
class LoadError : public std::exception {
 public:
  LoadError(LoadCode code, std::string message, Context context)
      : diag_{code, std::move(message), std::move(context), {}} {}
  const char* what() const noexcept override { return diag_.message.c_str(); }
  const Diagnostic& diagnostic() const { return diag_; }

 private:
  Diagnostic diag_;
};

// The outcome of loading one rules file (or content string).
struct LoadResult {
  std::string name;
  bool successful = true;
  std::vector<Diagnostic> errors;
  std::vector<Diagnostic> warnings;

  void add_error(Diagnostic d);
  void add_warning(LoadCode code, std::string message, Context context);
  bool has_warning(LoadCode code) const;
  // Fills each diagnostic's snippet from the file content it refers to.
  void fill_snippets(std::string_view content);
  // One object of Falco's "falco_load_results" array.
  std::string to_json() const;
  std::string to_text() const;
};

// {"falco_load_results":[...]} for a sequence of files.
std::string results_to_json(const std::vector<LoadResult>& results);

}  // namespace saker::rules
