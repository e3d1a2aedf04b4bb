// StringList (see string_list.h).
#include "string_list.h"

#include "capture_types.h"

namespace saker::syscall {

const std::vector<std::string> StringList::empty_;

StringList::StringList(std::vector<std::string> items) {
  if (items.empty()) return;
  auto d = std::make_shared<Data>();
  for (const auto& s : items) {
    d->bytes += s;
    d->bytes += '\0';
  }
  d->items = std::move(items);
  d_ = std::move(d);
}

StringList StringList::from_nul_list(std::string_view bytes) {
  StringList l;
  if (bytes.empty()) return l;
  auto d = std::make_shared<Data>();
  d->bytes.assign(bytes);
  const auto parts = scap::split_nul_list(bytes);
  d->items.reserve(parts.size());
  for (auto p : parts) d->items.emplace_back(p);
  l.d_ = std::move(d);
  return l;
}

}  // namespace saker::syscall
