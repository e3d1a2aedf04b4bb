// The syslog output plugin (Falco's `syslog_output`; plus `address`, `facility`,
// `ident`, `json_output`, `extra_fields`): one syslog message per alert, severity =
// the alert's priority (Falco's priorities are syslog's). saker speaks the protocol
// itself instead of calling syslog(3), so the destination is configurable and a test
// can listen: `address` is a unix datagram socket path (default /dev/log, also
// "unix:///path") or "udp://host:port". Messages use the BSD format (RFC 3164) that
// glibc writes to /dev/log; over UDP the hostname is included, as RFC 3164 asks.
// A receiver that went away (syslog daemon restarted) is reconnected on the next alert.
#include <arpa/inet.h>
#include <netdb.h>
#include <saker/sdk/plugin.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <map>

#include "output_common.h"

namespace {

using namespace saker::sdk;
using saker::outputs::LineSettings;
using saker::outputs::Params;

// Larger datagrams are cut: /dev/log readers refuse or truncate them anyway.
constexpr size_t kMaxMessage = 64 * 1024;

int facility_code(const Params& p) {
  static const std::map<std::string, int> kFacilities = {
      {"kern", 0},      {"user", 1},    {"mail", 2},    {"daemon", 3},  {"auth", 4},
      {"syslog", 5},    {"lpr", 6},     {"news", 7},    {"uucp", 8},    {"cron", 9},
      {"authpriv", 10}, {"ftp", 11},    {"local0", 16}, {"local1", 17}, {"local2", 18},
      {"local3", 19},   {"local4", 20}, {"local5", 21}, {"local6", 22}, {"local7", 23}};
  const std::string f = p.str("facility", "user");
  auto it = kFacilities.find(f);
  if (it == kFacilities.end()) {
    p.fail("facility", "unknown facility '" + f + "' (user, daemon, auth, local0..local7, ...)");
  }
  return it->second;
}

class SyslogChannel {
 public:
  SyslogChannel(const Params& p, Host host)
      : line_(saker::outputs::line_settings(p)),
        facility_(facility_code(p)),
        ident_(p.str("ident", "saker")),
        address_(p.str("address", "/dev/log")),
        host_(host) {
    parse_address(p);
    try {
      connect_socket();
    } catch (const PluginError& e) {  // the daemon may come later: retried per alert
      host_.log(LogLevel::kWarning, std::string(e.what()) + "; retrying at the next alert");
    }
  }
  ~SyslogChannel() { close_socket(); }

  void emit(const Alert& a) {
    saker::outputs::render_line(line_, a, &body_);
    format(a);
    if (fd_ < 0) connect_socket();
    if (send_msg()) return;
    // The receiver went away (restarted daemon): one reconnect, one more try.
    close_socket();
    connect_socket();
    if (!send_msg()) {
      throw PluginError("syslog: cannot send to " + address_ + ": " + strerror(errno));
    }
  }

  void reopen() {
    close_socket();
    connect_socket();
  }

 private:
  void parse_address(const Params& p) {
    std::string a = address_;
    if (a.rfind("udp://", 0) == 0) {
      udp_ = true;
      a = a.substr(6);
      auto colon = a.rfind(':');
      if (colon == std::string::npos || colon == 0) {
        p.fail("address", "expected udp://host:port, got '" + address_ + "'");
      }
      udp_host_ = a.substr(0, colon);
      udp_port_ = a.substr(colon + 1);
      if (!udp_host_.empty() && udp_host_.front() == '[') {
        udp_host_ = udp_host_.substr(1, udp_host_.size() - 2);
      }
      return;
    }
    if (a.rfind("unix://", 0) == 0) a = a.substr(7);
    if (a.empty() || a.front() != '/' || a.size() >= sizeof(sockaddr_un{}.sun_path)) {
      p.fail("address", "expected a unix socket path or udp://host:port, got '" + address_ + "'");
    }
    unix_path_ = a;
  }

  void connect_socket() {
    if (udp_) {
      addrinfo hints{};
      hints.ai_socktype = SOCK_DGRAM;
      addrinfo* res = nullptr;
      int rc = getaddrinfo(udp_host_.c_str(), udp_port_.c_str(), &hints, &res);
      if (rc != 0)
        throw PluginError("syslog: cannot resolve " + address_ + ": " + gai_strerror(rc));
      fd_ = socket(res->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd_ >= 0 && connect(fd_, res->ai_addr, res->ai_addrlen) != 0) close_socket();
      freeaddrinfo(res);
    } else {
      sockaddr_un sa{};
      sa.sun_family = AF_UNIX;
      memcpy(sa.sun_path, unix_path_.c_str(), unix_path_.size() + 1);
      fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0) {
        close_socket();
      }
    }
    if (fd_ < 0)
      throw PluginError("syslog: cannot connect to " + address_ + ": " + strerror(errno));
  }
  void close_socket() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  // "<PRI>Mmm dd hh:mm:ss [host ]ident[pid]: body" — the time is the alert's, local.
  void format(const Alert& a) {
    const int pri = facility_ * 8 + static_cast<int>(a.priority() & 7);
    time_t secs = static_cast<time_t>(a.time() / 1000000000ull);
    struct tm tm {};
    localtime_r(&secs, &tm);
    char stamp[32];
    strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
    msg_ = "<" + std::to_string(pri) + ">" + stamp + " ";
    if (udp_) msg_.append(a.hostname()).push_back(' ');
    msg_ += ident_ + "[" + std::to_string(getpid()) + "]: ";
    msg_ += body_;
    if (msg_.size() > kMaxMessage) msg_.resize(kMaxMessage);
  }

  bool send_msg() {
    for (;;) {
      ssize_t n = ::send(fd_, msg_.data(), msg_.size(), MSG_NOSIGNAL);
      if (n >= 0) return true;
      if (errno != EINTR) return false;
    }
  }

  LineSettings line_;
  int facility_;
  std::string ident_, address_;
  Host host_;
  bool udp_ = false;
  std::string unix_path_, udp_host_, udp_port_;
  int fd_ = -1;
  std::string body_, msg_;
};

class SyslogOutput {
 public:
  static constexpr const char* kName = "syslog_output";
  static constexpr const char* kVersion = "0.1.0";
  static constexpr const char* kDescription =
      "Sends alerts to syslog (/dev/log or UDP), severity from the alert's priority";
  static constexpr const char* kContact = "saker maintainers";
  static constexpr const char* kInitSchema = R"({"type":"object","properties":{}})";

  explicit SyslogOutput(const InitContext& ctx)
      : host_(ctx.host), section_(ctx.instance_name.empty() ? kName : ctx.instance_name) {}

  std::unique_ptr<SyslogChannel> open_output(const std::string& params) {
    return std::make_unique<SyslogChannel>(Params(params, section_), host_);
  }

 private:
  Host host_;
  std::string section_;
};

}  // namespace

SAKER_PLUGIN(SyslogOutput)
