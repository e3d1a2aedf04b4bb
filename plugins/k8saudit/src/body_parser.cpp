// Splitting audit bodies and files into events; see body_parser.h. The scanners below
// only ever run on text that nlohmann's acceptor has already validated (except
// max_nesting and DocumentStream, which are written for arbitrary bytes), yet every
// index is still bounds-checked: a scanner bug must not become an out-of-range read.
#include "body_parser.h"

#include <nlohmann/json.hpp>

namespace saker::k8saudit {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t skip_ws(std::string_view s, size_t p) {
  while (p < s.size() && is_ws(s[p])) ++p;
  return p;
}

// `p` is at an opening quote; returns the index just past the closing one.
size_t skip_string(std::string_view s, size_t p) {
  for (++p; p < s.size(); ++p) {
    if (s[p] == '\\') {
      ++p;
    } else if (s[p] == '"') {
      return p + 1;
    }
  }
  return s.size();
}

// `p` is at the first byte of a value; returns the index just past it.
size_t skip_value(std::string_view s, size_t p) {
  if (p >= s.size()) return p;
  if (s[p] == '"') return skip_string(s, p);
  if (s[p] != '{' && s[p] != '[') {
    while (p < s.size() && s[p] != ',' && s[p] != '}' && s[p] != ']' && !is_ws(s[p])) ++p;
    return p;
  }
  size_t depth = 0;
  while (p < s.size()) {
    char c = s[p];
    if (c == '"') {
      p = skip_string(s, p);
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) return p + 1;
    ++p;
  }
  return p;
}

// The key as a JSON parser reads it: raw text unless it holds escapes.
std::string_view unescaped_key(std::string_view raw, std::string* scratch) {
  if (raw.find('\\') == std::string_view::npos) return raw;
  scratch->clear();
  std::string quoted;
  quoted.reserve(raw.size() + 2);
  quoted.append(1, '"').append(raw).append(1, '"');
  auto j = nlohmann::json::parse(quoted, nullptr, false);
  if (j.is_string()) *scratch = j.get<std::string>();
  return *scratch;
}

// Calls fn(raw_key, value_text) for each member of the object starting at `p`.
template <class Fn>
void for_each_member(std::string_view s, size_t p, Fn&& fn) {
  p = skip_ws(s, p + 1);
  while (p < s.size() && s[p] == '"') {
    size_t key_end = skip_string(s, p);
    std::string_view key = s.substr(p + 1, key_end - p - 2);
    p = skip_ws(s, key_end);
    if (p >= s.size() || s[p] != ':') return;
    p = skip_ws(s, p + 1);
    size_t v_end = skip_value(s, p);
    if (!fn(key, s.substr(p, v_end - p))) return;
    p = skip_ws(s, v_end);
    if (p >= s.size() || s[p] != ',') return;
    p = skip_ws(s, p + 1);
  }
}

// Appends the elements of the array text `arr` (starting with '[').
ParseError split_array(std::string_view arr, const ParseLimits& limits,
                       std::vector<std::string_view>* out) {
  size_t p = skip_ws(arr, 1);
  while (p < arr.size() && arr[p] != ']') {
    size_t end = skip_value(arr, p);
    std::string_view item = arr.substr(p, end - p);
    if (item.empty() || item[0] != '{') return ParseError::kNotAnEvent;
    if (item.size() > limits.max_event_bytes) return ParseError::kEventTooLarge;
    if (out->size() >= limits.max_events) return ParseError::kTooManyEvents;
    out->push_back(item);
    p = skip_ws(arr, end);
    if (p < arr.size() && arr[p] == ',') p = skip_ws(arr, p + 1);
  }
  return ParseError::kNone;
}

bool read_digits(std::string_view s, size_t& p, size_t n, int* out) {
  if (p + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[p + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  p += n;
  *out = v;
  return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

// Parses ".fraction" (any length, nanosecond precision kept) at p, if present.
uint64_t read_fraction(std::string_view s, size_t& p) {
  uint64_t ns = 0;
  if (p >= s.size() || s[p] != '.') return 0;
  int digits = 0;
  for (++p; p < s.size() && s[p] >= '0' && s[p] <= '9'; ++p) {
    if (digits++ < 9) ns = ns * 10 + static_cast<uint64_t>(s[p] - '0');
  }
  for (; digits < 9; ++digits) ns *= 10;
  return ns;
}

// Parses "Z", "+hh:mm", "-hhmm" or nothing at p; seconds east of UTC in *offset.
bool read_zone(std::string_view s, size_t& p, int64_t* offset) {
  *offset = 0;
  if (p == s.size()) return true;
  if (s[p] == 'Z' || s[p] == 'z') return ++p == s.size();
  if (s[p] != '+' && s[p] != '-') return false;
  int sign = s[p++] == '-' ? -1 : 1, hh = 0, mm = 0;
  if (!read_digits(s, p, 2, &hh)) return false;
  if (p < s.size() && s[p] == ':') ++p;
  if (!read_digits(s, p, 2, &mm) || p != s.size() || hh > 23 || mm > 59) return false;
  *offset = sign * (hh * 3600 + mm * 60);
  return true;
}

}  // namespace

const char* parse_error_name(ParseError e) {
  switch (e) {
    case ParseError::kNone:
      return "ok";
    case ParseError::kMalformed:
      return "malformed JSON";
    case ParseError::kTooDeep:
      return "JSON nested too deeply";
    case ParseError::kNotAnEvent:
      return "not an audit event object";
    case ParseError::kEventTooLarge:
      return "event too large";
    case ParseError::kTooManyEvents:
      return "more events than the queue can ever hold";
  }
  return "?";
}

size_t max_nesting(std::string_view s) {
  size_t depth = 0, deepest = 0;
  for (size_t p = 0; p < s.size(); ++p) {
    char c = s[p];
    if (c == '"') {
      p = skip_string(s, p) - 1;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

ParseError split_document(std::string_view doc, const ParseLimits& limits,
                          std::vector<std::string_view>* events) {
  if (max_nesting(doc) > limits.max_depth) return ParseError::kTooDeep;
  if (!nlohmann::json::accept(doc)) return ParseError::kMalformed;
  size_t p = skip_ws(doc, 0);
  size_t end = doc.size();
  while (end > p && is_ws(doc[end - 1])) --end;
  std::string_view body = doc.substr(p, end - p);
  std::vector<std::string_view> found;
  ParseError err = ParseError::kNone;
  if (body.empty() || (body[0] != '[' && body[0] != '{')) return ParseError::kNotAnEvent;
  if (body[0] == '[') {
    err = split_array(body, limits, &found);
  } else {
    std::string_view items;  // the last "items" member, as a parser keeps it
    std::string scratch;
    for_each_member(body, 0, [&](std::string_view key, std::string_view value) {
      if (unescaped_key(key, &scratch) == "items") items = value;
      return true;
    });
    if (!items.empty() && items[0] == '[') {
      err = split_array(items, limits, &found);
    } else if (body.size() > limits.max_event_bytes) {
      err = ParseError::kEventTooLarge;
    } else {
      found.push_back(body);
    }
  }
  if (err != ParseError::kNone) return err;
  events->insert(events->end(), found.begin(), found.end());
  return ParseError::kNone;
}

bool top_level_string(std::string_view event, std::string_view key, std::string* out) {
  std::string_view found;
  bool present = false;
  size_t p = skip_ws(event, 0);
  if (p >= event.size() || event[p] != '{') return false;
  std::string scratch;
  for_each_member(event, p, [&](std::string_view k, std::string_view value) {
    if (unescaped_key(k, &scratch) == key) {
      present = true;
      found = value;
    }
    return true;
  });
  if (!present || found.size() < 2 || found[0] != '"') return false;
  std::string_view raw = found.substr(1, found.size() - 2);
  if (raw.find('\\') == std::string_view::npos) {
    out->assign(raw);
    return true;
  }
  auto j = nlohmann::json::parse(found, nullptr, false);
  if (!j.is_string()) return false;
  *out = j.get<std::string>();
  return true;
}

bool parse_timestamp(std::string_view s, uint64_t* ns, bool* out_of_range) {
  if (out_of_range) *out_of_range = false;
  size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!read_digits(s, p, 4, &y) || p >= s.size() || s[p++] != '-') return false;
  if (!read_digits(s, p, 2, &mo) || p >= s.size() || s[p++] != '-') return false;
  if (!read_digits(s, p, 2, &d) || p >= s.size()) return false;
  char sep = s[p++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  if (!read_digits(s, p, 2, &h) || p >= s.size() || s[p++] != ':') return false;
  if (!read_digits(s, p, 2, &mi) || p >= s.size() || s[p++] != ':') return false;
  if (!read_digits(s, p, 2, &sec)) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
  uint64_t frac = read_fraction(s, p);
  int64_t offset = 0;
  if (!read_zone(s, p, &offset)) return false;
  int64_t secs = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 h * 3600 + mi * 60 + sec - offset;
  // ns since the epoch must fit an int64 (the core's time type): 1970 .. 2262-04-11.
  constexpr int64_t kMaxSecs = INT64_MAX / 1000000000 - 1;
  if (secs < 0 || secs > kMaxSecs) {
    if (out_of_range) *out_of_range = true;
    return false;
  }
  *ns = static_cast<uint64_t>(secs) * 1000000000ull + frac;
  return true;
}

uint64_t event_time(std::string_view event, uint64_t fallback, bool* out_of_range) {
  uint64_t ns = 0;
  std::string text;
  bool bad = false;
  for (const char* key : {"stageTimestamp", "requestReceivedTimestamp"}) {
    bool oor = false;
    if (top_level_string(event, key, &text) && parse_timestamp(text, &ns, &oor)) {
      if (out_of_range) *out_of_range = bad;
      return ns;
    }
    bad = bad || oor;
  }
  if (out_of_range) *out_of_range = bad;
  return fallback;
}

void DocumentStream::feed(std::string_view chunk) {
  for (char c : chunk) scan_byte(c);
}

void DocumentStream::scan_byte(char c) {
  if (!in_doc_) {
    if (skipping_line_) {
      skipping_line_ = c != '\n';
    } else if (c == '{' || c == '[') {
      in_doc_ = true;
      depth_ = 1;
      too_big_ = false;
      doc_.assign(1, c);
    } else if (!is_ws(c)) {
      ++malformed_;
      skipping_line_ = true;
    }
    return;
  }
  if (!too_big_ && doc_.size() >= max_doc_) {
    too_big_ = true;
    std::string().swap(doc_);
  }
  if (!too_big_) doc_.push_back(c);
  if (in_string_) {
    if (escape_) {
      escape_ = false;
    } else if (c == '\\') {
      escape_ = true;
    } else if (c == '"') {
      in_string_ = false;
    }
  } else if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if ((c == '}' || c == ']') && --depth_ == 0) {
    in_doc_ = false;
    if (too_big_) {
      ++oversized_;
    } else {
      on_doc_(doc_);
    }
    doc_.clear();
  }
}

void DocumentStream::finish() {
  if (in_doc_) ++(too_big_ ? oversized_ : malformed_);
  in_doc_ = in_string_ = escape_ = skipping_line_ = too_big_ = false;
  doc_.clear();
}

}  // namespace saker::k8saudit
