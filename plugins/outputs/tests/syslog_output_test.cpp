// The syslog output through the real core, received by a real syslog-style listener:
// a unix datagram socket and a UDP socket on loopback opened by the test.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "output_rig.h"

using namespace saker;
using nlohmann::json;

namespace {

// A datagram listener; recv() returns "" after `timeout_ms` without a message.
class Listener {
 public:
  explicit Listener(const std::string& unix_path) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    strncpy(sa.sun_path, unix_path.c_str(), sizeof(sa.sun_path) - 1);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
  }
  Listener() {  // UDP on 127.0.0.1, any port
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0);
    socklen_t len = sizeof(sa);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
  }
  ~Listener() { close(fd_); }
  int port() const { return port_; }
  std::string recv(int timeout_ms = 5000) {
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    char buf[70000];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

}  // namespace

TEST_CASE("syslog_output sends RFC 3164 messages to a unix socket, severity = priority") {
  test::TempDir dir;
  const auto sock = dir.path() / "log.sock";
  Listener l(sock.string());
  test::OutputRig rig;
  rig.open("syslog_output", {{"address", "unix://" + sock.string()}, {"facility", "local0"}});
  rig.publish(1, core::Priority::kCritical);
  rig.publish(2, core::Priority::kNotice);
  std::string m1 = l.recv(), m2 = l.recv();
  // local0 = 16: <16*8+2> for Critical, <16*8+5> for Notice.
  CHECK(m1.rfind("<130>", 0) == 0);
  CHECK(m2.rfind("<133>", 0) == 0);
  CHECK(m1.find(" saker[" + std::to_string(getpid()) + "]: ") != std::string::npos);
  CHECK(m1.find(": Critical alert 1 user=root") != std::string::npos);
}

TEST_CASE("syslog_output over UDP: JSON body, hostname, reconnect after the listener returns") {
  Listener l;
  test::OutputRig rig;
  rig.open("syslog_output",
           {{"address", "udp://127.0.0.1:" + std::to_string(l.port())}, {"json_output", true}});
  rig.publish(7, core::Priority::kWarning);
  std::string m = l.recv();
  REQUIRE(!m.empty());
  CHECK(m.rfind("<12>", 0) == 0);  // user (1) * 8 + warning (4)
  CHECK(m.find(" test-host saker[") != std::string::npos);
  auto j = json::parse(m.substr(m.find("]: ") + 3));
  CHECK(j["output_fields"]["seq"] == 7);
}

TEST_CASE("syslog_output: a listener that goes away and comes back gets the next alerts") {
  test::TempDir dir;
  const auto sock = dir.path() / "log.sock";
  test::OutputRig rig;
  {
    Listener l(sock.string());
    rig.open("syslog_output", {{"address", sock.string()}});
    rig.publish(1);
    CHECK(!l.recv().empty());
  }
  unlink(sock.c_str());
  rig.publish(2);  // nobody listens: counted as an error, logged
  REQUIRE(test::wait_for(
      [&] { return rig.metric("output_num_errors{output=\"syslog_output\"}") == 1; }));
  Listener again(sock.string());
  rig.publish(3);
  CHECK(again.recv().find("alert 3 ") != std::string::npos);
}

TEST_CASE("syslog_output: bad settings name the key") {
  test::OutputRig rig;
  CHECK_THROWS_WITH_AS(rig.open("syslog_output", {{"facility", "nope"}}),
                       doctest::Contains("syslog_output.facility"), std::exception);
  CHECK_THROWS_WITH_AS(rig.open("syslog_output", {{"address", "tcp://x"}}),
                       doctest::Contains("syslog_output.address"), std::exception);
}
