// The record checker; see json_check.h. A hand-written state machine rather than a
// general parser: it allocates nothing beyond the output and a depth stack, and it
// runs several times faster than building a document, which matters at 150k records/s.
#include "json_check.h"

#include <cstring>
#include <vector>

namespace saker::cloudtrail {
namespace {

inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class Checker {
 public:
  Checker(std::string_view in, size_t max_depth, std::string* out)
      : in_(in), max_depth_(max_depth), out_(out) {}

  CheckResult run();
  size_t written() const { return w_ ? static_cast<size_t>(w_ - out_->data()) : 0; }

 private:
  enum class State { kValue, kAfterValue, kKeyOrEnd, kKey, kValueOrEnd };

  bool fail(const char* what) {
    res_.error = what;
    res_.error_offset = i_;
    return false;
  }
  // Output goes straight into the buffer, sized once to the input (the compact form is
  // never longer): no per-character growth checks.
  void put(char c) { *w_++ = c; }
  void put(const char* p, size_t n) {
    memcpy(w_, p, n);
    w_ += n;
  }
  void skip_ws() {
    while (i_ < in_.size() && is_ws(in_[i_])) ++i_;
  }
  bool string();
  bool utf8_sequence();
  bool number();
  bool literal(std::string_view word);
  bool open(char c);
  bool value(State* next);

  std::string_view in_;
  size_t max_depth_;
  std::string* out_;
  char* w_ = nullptr;
  size_t i_ = 0;
  std::vector<char> stack_;
  CheckResult res_;
};

// One multi-byte UTF-8 sequence starting at in_[i_] (a byte >= 0x80), copied out.
bool Checker::utf8_sequence() {
  const auto b0 = static_cast<unsigned char>(in_[i_]);
  size_t len = 0;
  unsigned min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, min = 0x10000;
  } else {
    return fail("invalid UTF-8 in a string");
  }
  if (i_ + len > in_.size()) return fail("invalid UTF-8 in a string");
  unsigned cp = b0 & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(in_[i_ + k]);
    if ((b & 0xC0) != 0x80) return fail("invalid UTF-8 in a string");
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return fail("invalid UTF-8 in a string");
  put(in_.data() + i_, len);
  i_ += len;
  return true;
}

bool Checker::string() {
  put('"');
  ++i_;
  for (;;) {
    // Copy the plain run in one go: most of a record is plain ASCII text.
    size_t run = i_;
    while (run < in_.size()) {
      const auto c = static_cast<unsigned char>(in_[run]);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++run;
    }
    put(in_.data() + i_, run - i_);
    i_ = run;
    if (i_ >= in_.size()) return fail("unterminated string");
    const auto c = static_cast<unsigned char>(in_[i_]);
    if (c == '"') {
      put('"');
      ++i_;
      return true;
    }
    if (c < 0x20) return fail("control character in a string");
    if (c >= 0x80) {
      if (!utf8_sequence()) return false;
      continue;
    }
    // A backslash escape.
    if (i_ + 1 >= in_.size()) return fail("unterminated string");
    const char e = in_[i_ + 1];
    size_t len = 2;
    if (e == 'u') {
      if (i_ + 6 > in_.size()) return fail("bad \\u escape");
      for (size_t k = i_ + 2; k < i_ + 6; ++k) {
        if (!is_hex(in_[k])) return fail("bad \\u escape");
      }
      len = 6;
    } else if (!(e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' ||
                 e == 'r' || e == 't')) {
      return fail("bad escape in a string");
    }
    put(in_.data() + i_, len);
    i_ += len;
  }
}

bool Checker::number() {
  const size_t start = i_;
  if (in_[i_] == '-') ++i_;
  if (i_ >= in_.size() || !is_digit(in_[i_])) return fail("bad number");
  if (in_[i_] == '0') {
    ++i_;
  } else {
    while (i_ < in_.size() && is_digit(in_[i_])) ++i_;
  }
  if (i_ < in_.size() && in_[i_] == '.') {
    ++i_;
    if (i_ >= in_.size() || !is_digit(in_[i_])) return fail("bad number");
    while (i_ < in_.size() && is_digit(in_[i_])) ++i_;
  }
  if (i_ < in_.size() && (in_[i_] == 'e' || in_[i_] == 'E')) {
    ++i_;
    if (i_ < in_.size() && (in_[i_] == '+' || in_[i_] == '-')) ++i_;
    if (i_ >= in_.size() || !is_digit(in_[i_])) return fail("bad number");
    while (i_ < in_.size() && is_digit(in_[i_])) ++i_;
  }
  put(in_.data() + start, i_ - start);
  return true;
}

bool Checker::literal(std::string_view word) {
  if (in_.substr(i_, word.size()) != word) return fail("unexpected character");
  put(word.data(), word.size());
  i_ += word.size();
  return true;
}

bool Checker::open(char c) {
  if (stack_.size() >= max_depth_) return fail("nested too deeply");
  stack_.push_back(c);
  put(c);
  ++i_;
  return true;
}

// A value starting at in_[i_]; *next is the state after it.
bool Checker::value(State* next) {
  if (i_ >= in_.size()) return fail("unexpected end");
  const char c = in_[i_];
  *next = State::kAfterValue;
  switch (c) {
    case '{':
      *next = State::kKeyOrEnd;
      return open(c);
    case '[':
      *next = State::kValueOrEnd;
      return open(c);
    case '"':
      return string();
    case 't':
      return literal("true");
    case 'f':
      return literal("false");
    case 'n':
      return literal("null");
    default:
      if (c == '-' || is_digit(c)) return number();
      return fail("unexpected character");
  }
}

CheckResult Checker::run() {
  out_->resize(in_.size());
  w_ = out_->data();
  State s = State::kValue;
  for (;;) {
    skip_ws();
    switch (s) {
      case State::kValue:
        if (!value(&s)) return res_;
        break;
      case State::kKeyOrEnd:
        if (i_ < in_.size() && in_[i_] == '}') {
          stack_.pop_back();
          put('}');
          ++i_;
          s = State::kAfterValue;
          break;
        }
        [[fallthrough]];
      case State::kKey:
        if (i_ >= in_.size() || in_[i_] != '"') {
          fail("expected a member name");
          return res_;
        }
        if (!string()) return res_;
        skip_ws();
        if (i_ >= in_.size() || in_[i_] != ':') {
          fail("expected ':'");
          return res_;
        }
        put(':');
        ++i_;
        s = State::kValue;
        break;
      case State::kValueOrEnd:
        if (i_ < in_.size() && in_[i_] == ']') {
          stack_.pop_back();
          put(']');
          ++i_;
          s = State::kAfterValue;
        } else {
          s = State::kValue;
        }
        break;
      case State::kAfterValue: {
        if (stack_.empty()) {
          if (i_ != in_.size()) {
            fail("text after the value");
            return res_;
          }
          res_.ok = true;
          return res_;
        }
        const char top = stack_.back();
        const char c = i_ < in_.size() ? in_[i_] : '\0';
        if (c == ',') {
          put(',');
          ++i_;
          s = top == '{' ? State::kKey : State::kValue;
        } else if ((top == '{' && c == '}') || (top == '[' && c == ']')) {
          stack_.pop_back();
          put(c);
          ++i_;
        } else {
          fail(i_ >= in_.size() ? "unexpected end" : "expected ',' or a closing bracket");
          return res_;
        }
        break;
      }
    }
  }
}

}  // namespace

CheckResult compact_json(std::string_view in, size_t max_depth, std::string* out) {
  Checker c(in, max_depth, out);
  CheckResult r = c.run();
  out->resize(c.written());
  return r;
}

}  // namespace saker::cloudtrail
