// Where an interrupted replay of files or S3 objects resumes (init_config `state_file`):
// the last object whose records were all evaluated, and how many records of the next one
// were. Objects are read in name order, so on a restart everything up to `done` is
// skipped (S3: listing starts after it) and the first `records` records of `partial` are
// skipped too: nothing is evaluated twice and nothing is lost. Records count as
// evaluated when the engine asks for the next batch (as for SQS deletions). The file is
// written atomically (temporary file + rename), at most every `interval`, and at the end.
// Thread-safe: the S3 reader thread begins objects, the source thread counts evaluations.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace saker::cloudtrail {

class Checkpoint {
 public:
  // `path` "" disables everything (no file is read or written). `input` names what is
  // read (open params); a state file written for another input is ignored (and replaced).
  Checkpoint(std::string path, std::string input);
  ~Checkpoint();

  bool enabled() const { return !path_.empty(); }
  // The state found at start.
  const std::string& done() const { return done_; }
  const std::string& partial() const { return partial_; }
  uint64_t partial_records() const { return partial_records_; }

  // An object starts being read; `skipped` records of it were evaluated in an earlier run.
  uint64_t begin(const std::string& name, uint64_t skipped);
  void record_read(uint64_t seq);
  // Every record of the object was read (or it was given up).
  void end(uint64_t seq);
  void evaluated(uint64_t seq, uint64_t n);
  // Writes the state if it changed and `interval` passed (or `force`).
  void save(bool force = false);

 private:
  struct Object {
    std::string name;
    uint64_t read = 0, evaluated = 0;
    bool ended = false;
  };
  void advance();  // moves fully evaluated leading objects into done_

  std::string path_, input_;
  std::mutex mu_;
  std::map<uint64_t, Object> objects_;
  uint64_t next_seq_ = 1;
  std::string done_, partial_;
  uint64_t partial_records_ = 0;
  bool dirty_ = false;
  std::chrono::steady_clock::time_point last_save_{};
};

}  // namespace saker::cloudtrail
