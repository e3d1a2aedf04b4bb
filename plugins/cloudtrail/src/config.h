// The plugin's settings: init_config (JSON; kInitSchema below) and open params. Parsed
// once, on the cold path; each key is checked for type and range, unknown keys are
// refused, and the error (sdk::PluginError) names the key.
//
// Open params: a local file or folder, as a path or a file:// URL. A folder is read
// recursively, its `.json` and `.json.gz` files in path order. (s3:// and sqs:// are
// later work: refused with that reason.)
#pragma once

#include <cstddef>
#include <string>

#include "record_splitter.h"

namespace saker::cloudtrail {

struct Config {
  SplitterLimits limits;     // max_record_bytes, max_depth
  size_t batch_size = 512;   // records per next_batch at most
  size_t read_chunk = 256 * 1024;  // bytes read from a file at a time
  size_t max_logged_problems = 10;  // per input; the rest are counted and summarised
};

const char* init_schema();
Config parse_init_config(const std::string& text);

struct OpenTarget {
  enum class Kind { kPath } kind = Kind::kPath;
  std::string path;
};
OpenTarget parse_open_params(const std::string& params);

}  // namespace saker::cloudtrail
