// Replay of CloudTrail log files: one file, or every `.json` / `.json.gz` file below a
// folder (recursively, in path order). zlib's gz* functions read gzip and plain files
// alike, so one code path serves both; each file streams through a RecordSplitter, so
// memory does not grow with a file's size. Records are handed to the engine as views
// that stay valid until the next next_batch (the C ABI's rule). Used by one source
// thread at a time.
#pragma once

#include <saker/sdk/types.h>
#include <zlib.h>

#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "checkpoint.h"
#include "config.h"
#include "log_stream.h"
#include "record_splitter.h"
#include "stats.h"

namespace saker::cloudtrail {

// The files an open param names: the file itself, or the log files below a folder.
// Throws sdk::PluginError when the path does not exist or holds no log file, or when
// `stop` (polled at the first entry and every 4096 after it) says to give up: a folder of
// millions of files must not keep saker from stopping.
std::vector<std::string> list_log_files(const std::string& path,
                                        const std::function<bool()>& stop = {});

class FileStream : public LogStream {
 public:
  // `stop`: the host's stop request, polled while the folder is listed (see above).
  FileStream(const std::string& path, const Config& cfg, Stats* stats,
             const std::function<bool()>& stop = {});
  ~FileStream() override;
  sdk::BatchStatus next_batch(sdk::EventWriter& out, uint32_t timeout_ms) override;
  bool progress(uint32_t& permille, std::string& text) override;

 private:
  struct Pending {
    std::string json;
    uint64_t ts;
    uint64_t seq;  // the file's checkpoint sequence
  };
  void account_evaluated();
  bool open_next_file();
  void close_file();
  bool read_more();
  void on_record(std::string_view compact);
  void on_problem(Problem p, uint64_t offset, std::string_view what);

  Config cfg_;
  Stats* stats_;
  std::vector<std::string> files_;
  std::vector<uint64_t> sizes_;
  uint64_t total_bytes_ = 0, done_bytes_ = 0;
  size_t next_file_ = 0;
  std::string current_path_;
  gzFile file_ = nullptr;
  std::unique_ptr<RecordSplitter> splitter_;
  size_t problems_in_file_ = 0;
  bool eof_ = false;
  std::vector<char> chunk_;
  std::deque<Pending> ready_;
  std::vector<Pending> current_;
  uint64_t delivered_ = 0;
  Checkpoint checkpoint_;
  uint64_t seq_ = 0;           // checkpoint sequence of the current file
  uint64_t skip_records_ = 0;  // records of the current file evaluated by an earlier run
};

}  // namespace saker::cloudtrail
