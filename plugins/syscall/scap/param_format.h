// Printable rendering of scap event parameters, close to what `sysdig -p %evt.args` prints
// for the stateless parts: flags as "4097(O_RDONLY|O_CLOEXEC)", errors as "-2(ENOENT)",
// addresses as "1.2.3.4:80->5.6.7.8:1234" (IPv6 compressed), hex as upper-case digits.
// Values that need process/fd state (the "(<f>/etc/passwd)" after an fd) are not added here;
// that is the state engine's job.
//
// All functions allocate the returned string; they never read outside the event.
#pragma once

#include <cstdint>
#include <string>

#include "event_header.h"
#include "event_view.h"

namespace saker::syscall::scap {

std::string format_flags(std::uint64_t value, const FlagTable* table, bool enum_like);
std::string format_endpoint(std::uint8_t family, const IpEndpoint& ep);
std::string format_sockaddr(const SockAddr& a);
std::string format_socktuple(const SockTuple& t);
std::string format_errno(std::int64_t value);

// One parameter ("NULL" when present but empty, "" when absent).
std::string format_param(const EventView& ev, std::uint32_t i);

// All parameters as "name=value name=value".
std::string format_args(const EventView& ev);

}  // namespace saker::syscall::scap
