// Block type codes of the .scap file format (a pcapng-like sequence of blocks: u32 type,
// u32 total length, body, u32 total length again). Internal to reader and writer.
#pragma once

#include <cstdint>

namespace saker::syscall::scap::block {

inline constexpr std::uint32_t kSectionHeader = 0x0A0D0D0A;
inline constexpr std::uint32_t kByteOrderMagic = 0x1A2B3C4D;
inline constexpr std::uint32_t kMachineInfo = 0x201;
inline constexpr std::uint32_t kMachineInfoOld = 0x8002ABCD;
inline constexpr std::uint32_t kProcListV1 = 0x202;
inline constexpr std::uint32_t kProcListV2 = 0x207;
inline constexpr std::uint32_t kProcListV3 = 0x209;
inline constexpr std::uint32_t kProcListV4 = 0x210;
inline constexpr std::uint32_t kProcListV5 = 0x211;
inline constexpr std::uint32_t kProcListV6 = 0x212;
inline constexpr std::uint32_t kProcListV7 = 0x213;
inline constexpr std::uint32_t kProcListV8 = 0x214;
inline constexpr std::uint32_t kProcListV9 = 0x215;
inline constexpr std::uint32_t kFdList = 0x203;
inline constexpr std::uint32_t kFdListV2 = 0x218;
inline constexpr std::uint32_t kEvent = 0x204;
inline constexpr std::uint32_t kEventV2 = 0x216;
inline constexpr std::uint32_t kEventV2Large = 0x221;
inline constexpr std::uint32_t kIfList = 0x205;
inline constexpr std::uint32_t kIfListV2 = 0x219;
inline constexpr std::uint32_t kUserList = 0x206;
inline constexpr std::uint32_t kUserListV2 = 0x220;
inline constexpr std::uint32_t kEventFlags = 0x208;
inline constexpr std::uint32_t kEventFlagsV2 = 0x217;
inline constexpr std::uint32_t kEventFlagsV2Large = 0x222;

// Version number 1..9 of a process-list block, 0 if `type` is not one.
constexpr int proclist_version(std::uint32_t type) {
  switch (type) {
    case kProcListV1:
      return 1;
    case kProcListV2:
      return 2;
    case kProcListV3:
      return 3;
    case kProcListV4:
      return 4;
    case kProcListV5:
      return 5;
    case kProcListV6:
      return 6;
    case kProcListV7:
      return 7;
    case kProcListV8:
      return 8;
    case kProcListV9:
      return 9;
    default:
      return 0;
  }
}

constexpr bool is_event_block(std::uint32_t t) {
  return t == kEvent || t == kEventV2 || t == kEventV2Large || t == kEventFlags ||
         t == kEventFlagsV2 || t == kEventFlagsV2Large;
}
constexpr bool event_block_has_flags(std::uint32_t t) {
  return t == kEventFlags || t == kEventFlagsV2 || t == kEventFlagsV2Large;
}
constexpr bool event_block_is_v1(std::uint32_t t) { return t == kEvent || t == kEventFlags; }

// Interface entry kinds.
inline constexpr std::uint16_t kIfIpv4 = 1;
inline constexpr std::uint16_t kIfIpv6 = 2;
inline constexpr std::uint16_t kIfIpv4NoLinkSpeed = 3;
inline constexpr std::uint16_t kIfIpv6NoLinkSpeed = 4;

}  // namespace saker::syscall::scap::block
