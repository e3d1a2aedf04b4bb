// Recursive-descent parser for Falco-language rule conditions (RULE-LANGUAGE.md §2).
//
// It reproduces what Falco's filter parser accepts, quirks included: keywords are string
// prefixes, `and`/`or` are n-ary and flattened, any run of `not ` folds to one negation,
// `or(`/`and(` take the parenthesised expression as the whole operand, a field name on
// the right side is a plain string (use val()), identifiers are macro references, and
// every procedure counts recursion depth (Falco's loader allows 1000).
//
// Grammar (EBNF; "quoted" and "bare" values are described in lexer.h; `~` = no blank
// allowed between the two tokens; Blanks = { ' ' | \t | \b | \r | \n }):
//
//   Condition   = OrExpr Blanks EOF ;                          (* empty input is an error *)
//   OrExpr      = AndExpr { Blanks "or" ( Blank Blanks AndExpr | ~"(" Embedded ) } ;
//   AndExpr     = NotExpr { Blanks "and" ( Blank Blanks NotExpr | ~"(" Embedded ) } ;
//   NotExpr     = Blanks { "not" Space { Space } } ( "not(" Embedded | Check ) ;
//   Embedded    = OrExpr Blanks ")" ;
//   Check       = Blanks ( "(" Embedded
//                        | FieldOrTransformer Operation
//                        | Identifier ) ;             (* macro reference; not followed by "." *)
//   FieldOrTransformer = Transformer | Field ;
//   Field       = FieldName [ ~FieldArg ] ;
//   FieldArg    = "[" ( Quoted | ArgBare ) "]" ;
//   Transformer = TransformerName ~"(" Blanks TArg { Blanks "," Blanks TArg } Blanks ")"
//                 [ ~FieldArg ] ;
//   TArg        = FieldOrTransformer | Quoted | Number | TList ;
//   TList       = "(" Blanks [ TItem { Blanks "," Blanks TItem } ] Blanks ")" ;
//   TItem       = FieldOrTransformer | Quoted | Number ;
//   RhsTransformer = "val(" Blanks Field Blanks ")" [ ~FieldArg ] | Transformer ;
//   Operation   = Blanks ( "exists"
//                        | NumOp Blanks ( RhsTransformer | Hex | Number )
//                        | StrOp Blank Blanks Modifier Blank Blanks ( List | Identifier )
//                        | StrOp Blanks ( RhsTransformer | Quoted | Bare )
//                        | ListOp Blanks ( List | RhsTransformer | Identifier ) ) ;
//   List        = "(" Blanks [ ListValue { Blanks "," Blanks ListValue } ] Blanks ")" ;
//   ListValue   = Quoted | Bare ;
//   NumOp       = "<=" | "<" | ">=" | ">" ;
//   StrOp       = "==" | "=" | "!=" | WordOp ;
//   WordOp      = ( "glob" | "iglob" | "contains" | "icontains" | "bcontains" | "startswith"
//                 | "bstartswith" | "endswith" | "regex" ) &Blank ;
//   ListOp      = "intersects" | "in" | "pmatch" ;
//   Modifier    = "oneof" | "anyof" | "allof" ;      (* only if the next word is not and/or/not *)
//   TransformerName = "tolower" | "toupper" | "b64" | "basename" | "len" | "join" | "concat"
//                   | "getopt" ;
//
// An Identifier after a list operator or a modifier becomes a ValueExpr holding its name.
#pragma once

#include <string_view>

#include "ast.h"
#include "lexer.h"

namespace saker::rules {

// Falco's rule loader parses with this depth limit (libsinsp's own default is 100).
inline constexpr uint32_t kFalcoMaxParseDepth = 1000;

// One parser per input string; borrows `input`, which must outlive it. Not thread-safe.
class Parser {
 public:
  explicit Parser(std::string_view input, uint32_t max_depth = kFalcoMaxParseDepth)
      : lex_(input), max_depth_(max_depth) {}

  // Parses the whole input as a condition. Throws ParseError.
  ExprPtr parse_condition();
  // Parses a field or transformer at the start of the input and stops there (the output
  // formatter uses it on `%token`s); pos() then tells how much was consumed. Throws
  // ParseError; returns nullptr if the input does not start with one.
  ExprPtr parse_field_or_transformer();
  Pos pos() const { return lex_.pos(); }

 private:
  // Counts grammar-procedure nesting so that hostile inputs cannot overflow the stack.
  class DepthGuard {
   public:
    explicit DepthGuard(Parser& p);
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(const DepthGuard&) = delete;
    DepthGuard& operator=(const DepthGuard&) = delete;

   private:
    Parser& p_;
  };

  ExprPtr parse_or();
  ExprPtr parse_and();
  ExprPtr parse_not();
  ExprPtr parse_embedded_remainder();
  ExprPtr parse_check();
  // Operands and operators (parser_check.cpp).
  ExprPtr parse_operation(Pos pos, ExprPtr left);
  ExprPtr parse_string_operation(Pos pos, ExprPtr left, std::string op, bool word_op);
  ExprPtr parse_num_rhs();
  ExprPtr parse_string_rhs();
  ExprPtr parse_list_rhs();
  ExprPtr parse_list_or_identifier();
  ExprPtr parse_list_literal();
  ExprPtr try_field_or_transformer(bool allow_val);
  ExprPtr try_rhs_transformer();
  ExprPtr parse_transformer_remainder(Pos pos, std::string name);
  ExprPtr parse_transformer_arg();
  ExprPtr parse_transformer_list(Pos pos);
  std::optional<std::string> parse_field_arg();
  [[noreturn]] void fail(const std::string& message) const;

  Lexer lex_;
  uint32_t max_depth_;
  uint32_t depth_ = 0;
};

// Convenience: parse `text` as a whole condition. Throws ParseError.
ExprPtr parse_condition(std::string_view text, uint32_t max_depth = kFalcoMaxParseDepth);

}  // namespace saker::rules
