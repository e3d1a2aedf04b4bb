// StringList (see string_list.h).
#include "string_list.h"


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
  // As scap::split_nul_list splits (one trailing NUL ends the list rather than starting an
  // empty last element; "\0" alone is no element), without its vector of views.
  if (bytes != std::string_view("\0", 1)) {
    std::string_view s = bytes;
    while (!s.empty()) {
      const auto nul = s.find('\0');
      d->items.emplace_back(s.substr(0, nul));
      if (nul == std::string_view::npos) break;
      s.remove_prefix(nul + 1);
    }
  }
  l.d_ = std::move(d);
  return l;
}

}  // namespace saker::syscall
