// The file output plugin: appends one line per alert to a file (Falco's `file_output`:
// `filename`, `keep_alive`; plus `json_output`, `buffered`, `extra_fields`).
// keep_alive: true keeps the file open; false (Falco's default) opens and closes it for
// every alert, which also follows a rotated file without a signal. reopen (SIGUSR1)
// closes the file and opens it again by name, so logrotate's "move, then signal" works.
#include <fcntl.h>
#include <saker/sdk/plugin.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "output_common.h"

namespace {

using namespace saker::sdk;
using saker::outputs::LineSettings;
using saker::outputs::Params;

// Large enough that a buffered file output writes rarely, small enough to lose little
// on a crash.
constexpr size_t kBufferBytes = 64 * 1024;

class FileChannel {
 public:
  FileChannel(const Params& p)
      : section_(p.section()),
        line_(saker::outputs::line_settings(p)),
        filename_(p.str("filename", "./events.txt")),
        keep_alive_(p.boolean("keep_alive", false)) {
    if (filename_.empty()) p.fail("filename", "must name a file");
    open_file();  // fail at start, not at the first alert, when the path is unusable
    if (!keep_alive_) close_file();
  }
  ~FileChannel() {
    try {
      flush();
    } catch (...) {
    }
    close_file();
  }

  void emit(const Alert& a) {
    saker::outputs::render_line(line_, a, &scratch_);
    buf_.append(scratch_).push_back('\n');
    if (!line_.buffered || buf_.size() >= kBufferBytes || !keep_alive_) flush();
  }

  void flush() {
    if (buf_.empty()) return;
    if (fd_ < 0) open_file();
    write_all(buf_);
    buf_.clear();
    if (!keep_alive_) close_file();
  }

  void reopen() {
    flush();
    close_file();
    if (keep_alive_) open_file();
  }

 private:
  void open_file() {
    fd_ = ::open(filename_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    if (fd_ < 0) {
      throw PluginError(section_ + ".filename: cannot open " + filename_ + ": " + strerror(errno));
    }
  }
  void close_file() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void write_all(const std::string& s) {
    size_t done = 0;
    while (done < s.size()) {
      ssize_t n = ::write(fd_, s.data() + done, s.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const std::string why = strerror(errno);
        buf_.erase(0, done);  // keep only what was not written; the next call retries it
        close_file();
        throw PluginError("cannot write to " + filename_ + ": " + why);
      }
      done += static_cast<size_t>(n);
    }
  }

  std::string section_;
  LineSettings line_;
  std::string filename_;
  bool keep_alive_;
  int fd_ = -1;
  std::string buf_, scratch_;
};

class FileOutput {
 public:
  static constexpr const char* kName = "file_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Appends alerts to a file (text or JSON); reopens it on SIGUSR1";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit FileOutput(const InitContext& ctx)
      : section_(ctx.instance_name.empty() ? kName : ctx.instance_name) {}

  std::unique_ptr<FileChannel> open_output(const std::string& params) {
    return std::make_unique<FileChannel>(Params(params, section_));
  }

 private:
  std::string section_;
};

}  // namespace

SAKER_PLUGIN(FileOutput)
