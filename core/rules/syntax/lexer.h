// Scanner for Falco-language rule conditions.
//
// Falco's filter grammar has no separate tokenisation pass: the parser asks, at the
// current cursor, "does a token of kind K start here?" and keywords are matched as plain
// string prefixes. This file reproduces that model: a Lexer is a cursor over the input
// offering one `match_*` / `lex_*` primitive per token class of RULE-LANGUAGE.md §2.2.
// Every primitive either consumes its token (and remembers it as the last token, which
// the parser quotes in "unexpected token after ..." errors) or leaves the cursor alone.
//
// Positions are {offset from 0, line from 1, column from 1}; '\n' and '\r' each start a
// new line. A Lexer borrows its input: the string must outlive it. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace saker::rules {

// Where a node or token starts inside a condition string.
struct Pos {
  uint32_t offset = 0;
  uint32_t line = 1;
  uint32_t col = 1;
  bool operator==(const Pos&) const = default;
};

// A syntax error; what() is the Falco-compatible message, pos() where it was detected.
class ParseError : public std::runtime_error {
 public:
  ParseError(const std::string& message, Pos pos) : std::runtime_error(message), pos_(pos) {}
  Pos pos() const { return pos_; }

 private:
  Pos pos_;
};

// Decodes the body of a quoted string (without its quotes) written with quote char `quote`.
// Throws ParseError (at `pos`) with Falco's unescape messages.
std::string unescape_quoted(std::string_view body, char quote, Pos pos);

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}

  Pos pos() const { return pos_; }
  // Moves the cursor back to a position previously returned by pos() (backtracking).
  void reset(Pos p) { pos_ = p; }
  bool eof() const { return pos_.offset >= input_.size(); }
  char peek(size_t ahead = 0) const;
  std::string_view rest() const { return input_.substr(pos_.offset); }
  const std::string& last_token() const { return last_token_; }

  // Skips ' ' \t \b \r \n; true if at least one was skipped.
  bool skip_blanks();
  // Consumes `s` if the input continues with it (keyword prefix match, case-sensitive).
  bool match(std::string_view s);
  // Consumes `s` only if a blank follows it (the blank itself is left in place).
  bool match_followed_by_blank(std::string_view s);
  // Consumes "not" followed by one or more [[:space:]] characters.
  bool match_not_blank();

  // Token classes (anchored at the cursor, leftmost-longest); nullopt = no match.
  std::optional<std::string> identifier();   // [a-zA-Z]+[a-zA-Z0-9_]*
  std::optional<std::string> field_name();   // identifier ( '.' identifier )+
  std::optional<std::string> bare_string();  // [^()"'[:space:]=,]+
  std::optional<std::string> arg_bare();     // [^][\"'[:space:]]+
  std::optional<std::string> number();       // [+-]?[0-9]+\.?[0-9]*([eE][+-][0-9]+)?
  std::optional<std::string> hex_number();   // 0[xX][0-9a-fA-F]+
  // A '...' or "..." string, unescaped. An unterminated quote is no match; a bad escape
  // throws ParseError.
  std::optional<std::string> quoted_string();

  // Length of an identifier starting at the cursor (0 if none), without consuming it.
  size_t identifier_length_at(size_t offset) const;

 private:
  void advance(size_t n);
  std::string take(size_t n);

  std::string_view input_;
  Pos pos_;
  std::string last_token_;
};

}  // namespace saker::rules
