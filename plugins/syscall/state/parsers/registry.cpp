// Registration of parsers by event name (see parsers.h).
#include <cstring>

#include "event_table.h"
#include "parsers.h"

namespace saker::syscall::parsers {

void on_event(ParserTable& t, std::string_view name, ParserFn fn, bool enter) {
  auto table = scap::event_table();
  for (std::size_t type = 0; type < table.size(); ++type) {
    const auto& info = table[type];
    if (!scap::is_known_event(static_cast<std::uint16_t>(type))) continue;
    if (scap::is_enter(static_cast<std::uint16_t>(type)) && !enter) continue;
    if (info.name && name == info.name) t[type] = fn;
  }
}

}  // namespace saker::syscall::parsers
