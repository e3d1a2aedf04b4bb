// The HTTP output's on-disk spool.
#include "spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace saker::outputs::http {

namespace {

// A length beyond this is a corrupt record, not an alert.
constexpr uint32_t kMaxRecord = 64u << 20;

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& p) {
  throw std::runtime_error(what + " " + p.string() + ": " + strerror(errno));
}

bool pread_all(int fd, void* buf, size_t n, uint64_t off) {
  auto* p = static_cast<char*>(buf);
  while (n > 0) {
    ssize_t r = ::pread(fd, p, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    off += static_cast<uint64_t>(r);
  }
  return true;
}

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::write(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

Spool::Spool(const std::filesystem::path& dir, uint64_t max_bytes)
    : dir_(dir), max_bytes_(max_bytes) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    throw std::runtime_error("cannot create the spool folder " + dir_.string() + ": " +
                             ec.message());
  }
  log_fd_ = ::open((dir_ / "spool.log").c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd_ < 0) fail("cannot open", dir_ / "spool.log");
  pos_fd_ = ::open((dir_ / "spool.pos").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (pos_fd_ < 0) {
    ::close(log_fd_);
    fail("cannot open", dir_ / "spool.pos");
  }
  recover();
}

Spool::~Spool() {
  if (log_fd_ >= 0) ::close(log_fd_);
  if (pos_fd_ >= 0) ::close(pos_fd_);
}

// Find where undelivered records start and end; cut a torn last record.
void Spool::recover() {
  struct stat st {};
  fstat(log_fd_, &st);
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  uint64_t pos = 0;
  if (!pread_all(pos_fd_, &pos, sizeof(pos), 0) || pos > size) pos = 0;
  head_ = pos;
  uint64_t off = pos;
  records_ = 0;
  for (;;) {
    uint32_t len = 0;
    if (off + sizeof(len) > size || !pread_all(log_fd_, &len, sizeof(len), off)) break;
    if (len > kMaxRecord || off + sizeof(len) + len > size) break;
    off += sizeof(len) + len;
    ++records_;
  }
  tail_ = off;
  if (off < size && ftruncate(log_fd_, static_cast<off_t>(off)) != 0) fail("cannot cut", dir_);
  if (empty()) {  // start clean
    if (ftruncate(log_fd_, 0) != 0) fail("cannot reset", dir_ / "spool.log");
    head_ = tail_ = 0;
    write_pos();
  }
}

void Spool::write_pos() {
  // One aligned 8-byte write: the kernel applies it whole.
  if (::pwrite(pos_fd_, &head_, sizeof(head_), 0) != sizeof(head_)) {
    fail("cannot write", dir_ / "spool.pos");
  }
}

bool Spool::append(const std::string& body) {
  const uint64_t rec = sizeof(uint32_t) + body.size();
  if (body.size() > kMaxRecord || bytes() + rec > max_bytes_) return false;
  std::string buf;
  buf.reserve(rec);
  const uint32_t len = static_cast<uint32_t>(body.size());
  buf.append(reinterpret_cast<const char*>(&len), sizeof(len)).append(body);
  if (!write_all(log_fd_, buf.data(), buf.size())) {
    // A partial record would corrupt the log: cut it off again.
    if (ftruncate(log_fd_, static_cast<off_t>(tail_)) != 0) { /* recover() cuts it later */
    }
    fail("cannot append to", dir_ / "spool.log");
  }
  tail_ += rec;
  ++records_;
  return true;
}

bool Spool::front(std::string* body) {
  if (empty()) return false;
  uint32_t len = 0;
  if (!pread_all(log_fd_, &len, sizeof(len), head_) || len > kMaxRecord) {
    fail("cannot read", dir_ / "spool.log");
  }
  body->resize(len);
  if (len && !pread_all(log_fd_, body->data(), len, head_ + sizeof(len))) {
    fail("cannot read", dir_ / "spool.log");
  }
  front_len_ = len;
  return true;
}

void Spool::pop() {
  if (empty()) return;
  if (front_len_ == 0) {
    std::string ignored;
    front(&ignored);
  }
  head_ += sizeof(uint32_t) + front_len_;
  front_len_ = 0;
  --records_;
  if (empty()) {
    if (ftruncate(log_fd_, 0) != 0) fail("cannot reset", dir_ / "spool.log");
    head_ = tail_ = 0;
  }
  write_pos();
}

}  // namespace saker::outputs::http
