// A bounded, ordered on-disk queue of alert bodies: what the HTTP output could not
// deliver yet. Two files in its folder: `spool.log`, records appended as
// [u32 length][body], and `spool.pos`, the offset of the first undelivered record.
// A record is delivered (pop) by advancing the offset; once everything is delivered
// both files are reset to empty. A saker killed at any moment finds the undelivered
// records at its next start (a record torn by the kill is cut off; a record whose
// delivery was not yet acknowledged is sent again, so delivery is at-least-once across
// a crash, exactly-once otherwise). Records reach the kernel on append (no fsync): a
// killed process loses nothing, a host power loss may.
//
// Not thread-safe: the owner serialises calls.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace saker::outputs::http {

class Spool {
 public:
  // Opens (creating) the folder and its files; throws std::runtime_error.
  Spool(const std::filesystem::path& dir, uint64_t max_bytes);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  bool empty() const { return head_ == tail_; }
  uint64_t records() const { return records_; }
  uint64_t bytes() const { return tail_ - head_; }
  // False when the record does not fit in max_bytes (nothing is written).
  bool append(const std::string& body);
  // The oldest record into *body; false when empty. Throws on a read error.
  bool front(std::string* body);
  // Drop the oldest record (after it was delivered).
  void pop();

 private:
  void recover();
  void write_pos();

  std::filesystem::path dir_;
  uint64_t max_bytes_;
  int log_fd_ = -1, pos_fd_ = -1;
  uint64_t head_ = 0, tail_ = 0;  // first undelivered record, end of the log
  uint64_t records_ = 0;
  uint32_t front_len_ = 0;  // length of the record at head_, 0 when not read yet
};

}  // namespace saker::outputs::http
