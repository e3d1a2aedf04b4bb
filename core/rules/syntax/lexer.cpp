// Token primitives of the condition scanner; see lexer.h.
#include "lexer.h"

namespace saker::rules {
namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum_(char c) { return is_alpha(c) || is_digit(c) || c == '_'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
// The blanks the parser skips between tokens (no \v nor \f).
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n'; }
// POSIX [[:space:]], used inside the token regexes.
bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Decodes `\xHH` starting at body[i] == 'x'; returns the byte, advances i past HH.
char unescape_hex(std::string_view body, size_t& i, Pos pos) {
  if (i + 2 >= body.size()) throw ParseError("truncated hex char escape sequence", pos);
  char hi = body[i + 1];
  char lo = body[i + 2];
  if (!is_hex(hi) || !is_hex(lo)) {
    throw ParseError(std::string("invalid hex char escape sequence: ") + hi + lo, pos);
  }
  i += 2;
  return static_cast<char>(hex_value(hi) * 16 + hex_value(lo));
}

}  // namespace

std::string unescape_quoted(std::string_view body, char quote, Pos pos) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out.push_back(body[i]);
      continue;
    }
    if (++i >= body.size()) throw ParseError("unsupported string escape sequence: \\", pos);
    char c = body[i];
    switch (c) {
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case ' ':
        out.push_back('\\');
        break;  // legacy: "\ " decodes to a lone backslash
      case 'x':
        out.push_back(unescape_hex(body, i, pos));
        break;
      case '"':
        if (quote != '"') throw ParseError("invalid \\\" escape in '-quoted string", pos);
        out.push_back('"');
        break;
      case '\'':
        if (quote != '\'') throw ParseError("invalid \\' escape in \"-quoted string", pos);
        out.push_back('\'');
        break;
      default:
        throw ParseError(std::string("unsupported string escape sequence: \\") + c, pos);
    }
  }
  return out;
}

char Lexer::peek(size_t ahead) const {
  size_t i = pos_.offset + ahead;
  return i < input_.size() ? input_[i] : '\0';
}

void Lexer::advance(size_t n) {
  for (size_t k = 0; k < n && pos_.offset < input_.size(); ++k) {
    char c = input_[pos_.offset++];
    if (c == '\n' || c == '\r') {
      ++pos_.line;
      pos_.col = 1;
    } else {
      ++pos_.col;
    }
  }
}

std::string Lexer::take(size_t n) {
  last_token_ = std::string(input_.substr(pos_.offset, n));
  advance(n);
  return last_token_;
}

bool Lexer::skip_blanks() {
  size_t n = 0;
  while (pos_.offset + n < input_.size() && is_blank(input_[pos_.offset + n])) ++n;
  advance(n);
  return n > 0;
}

bool Lexer::match(std::string_view s) {
  if (rest().substr(0, s.size()) != s) return false;
  take(s.size());
  return true;
}

bool Lexer::match_followed_by_blank(std::string_view s) {
  if (rest().substr(0, s.size()) != s || !is_blank(peek(s.size()))) return false;
  take(s.size());
  return true;
}

bool Lexer::match_not_blank() {
  if (rest().substr(0, 3) != "not" || !is_space(peek(3))) return false;
  size_t n = 3;
  while (is_space(peek(n))) ++n;
  take(n);
  return true;
}

size_t Lexer::identifier_length_at(size_t offset) const {
  size_t n = 0;
  while (offset + n < input_.size() && is_alpha(input_[offset + n])) ++n;
  if (n == 0) return 0;
  while (offset + n < input_.size() && is_alnum_(input_[offset + n])) ++n;
  return n;
}

std::optional<std::string> Lexer::identifier() {
  size_t n = identifier_length_at(pos_.offset);
  if (n == 0) return std::nullopt;
  return take(n);
}

std::optional<std::string> Lexer::field_name() {
  size_t n = identifier_length_at(pos_.offset);
  if (n == 0) return std::nullopt;
  size_t segments = 0;
  while (peek(n) == '.') {
    size_t seg = identifier_length_at(pos_.offset + n + 1);
    if (seg == 0) break;
    n += 1 + seg;
    ++segments;
  }
  if (segments == 0) return std::nullopt;
  return take(n);
}

std::optional<std::string> Lexer::bare_string() {
  size_t n = 0;
  for (char c = peek(n); n < rest().size(); c = peek(++n)) {
    if (c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' || is_space(c)) {
      break;
    }
  }
  if (n == 0) return std::nullopt;
  return take(n);
}

std::optional<std::string> Lexer::arg_bare() {
  size_t n = 0;
  for (char c = peek(n); n < rest().size(); c = peek(++n)) {
    if (c == '[' || c == ']' || c == '"' || c == '\'' || is_space(c)) break;
  }
  if (n == 0) return std::nullopt;
  return take(n);
}

std::optional<std::string> Lexer::number() {
  size_t n = (peek(0) == '+' || peek(0) == '-') ? 1 : 0;
  size_t digits_start = n;
  while (is_digit(peek(n))) ++n;
  if (n == digits_start) return std::nullopt;
  if (peek(n) == '.') ++n;
  while (is_digit(peek(n))) ++n;
  if ((peek(n) == 'e' || peek(n) == 'E') && (peek(n + 1) == '+' || peek(n + 1) == '-') &&
      is_digit(peek(n + 2))) {
    n += 2;
    while (is_digit(peek(n))) ++n;
  }
  return take(n);
}

std::optional<std::string> Lexer::hex_number() {
  if (peek(0) != '0' || (peek(1) != 'x' && peek(1) != 'X') || !is_hex(peek(2))) {
    return std::nullopt;
  }
  size_t n = 2;
  while (is_hex(peek(n))) ++n;
  return take(n);
}

std::optional<std::string> Lexer::quoted_string() {
  char q = peek(0);
  if (q != '"' && q != '\'') return std::nullopt;
  std::string_view r = rest();
  size_t end = 1;
  while (end < r.size() && !(r[end] == q && r[end - 1] != '\\')) ++end;
  if (end >= r.size()) return std::nullopt;
  Pos start = pos_;
  std::string value = unescape_quoted(r.substr(1, end - 1), q, start);
  take(end + 1);
  return value;
}

}  // namespace saker::rules
