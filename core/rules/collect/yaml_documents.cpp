// One pass of yaml-cpp's parser over a rules file that both builds the documents'
// nodes and watches for the input on which yaml-cpp would never stop (see below).
//
// YAML::LoadAll cannot be used as is: yaml-cpp 0.7's LoadAll never returns when a
// document would start with a token no node begins with (a ',' flow entry outside any
// flow collection: ",\n", or "- a[b\n, c"; found by rules_loader_fuzz): the parser
// reports an empty document without consuming the token, forever, growing memory.
// Checking for that with a first pass of the parser cost as much as the load itself
// (the scanner is most of yaml-cpp's time), so the builder below does what LoadAll's
// (unexported) node builder does and stops at the first document that is a single
// null at the same place as the previous one: the parser is stuck there.
#include "yaml_documents.h"

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace saker::rules {
struct NodeHandleAccess {};
}  // namespace saker::rules

// Node's constructor from a built node is private; as_if is its friend, and this
// specialisation for a saker type only wraps a finished node in a handle.
template <>
struct YAML::as_if<saker::rules::NodeHandleAccess, void> {
  static YAML::Node wrap(YAML::detail::node& n, YAML::detail::shared_memory_holder memory) {
    return YAML::Node(n, std::move(memory));
  }
};

namespace saker::rules {
namespace {

// Builds one document from the parser's events into nodes sharing one memory, with
// their marks, tags, styles and anchors, as YAML::Load does.
class DocumentBuilder : public YAML::EventHandler {
 public:
  DocumentBuilder() : memory_(std::make_shared<YAML::detail::memory_holder>()) {
    anchors_.push_back(nullptr);  // anchor ids start at 1
  }

  YAML::Node root() {
    if (!root_) return YAML::Node();
    return YAML::as_if<NodeHandleAccess, void>::wrap(*root_, memory_);
  }
  // Whether the document was nothing but one null (where the parser may be stuck).
  bool lone_null() const { return events_ == 1 && null_mark_.has_value(); }
  const std::optional<YAML::Mark>& null_mark() const { return null_mark_; }

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    null_mark_ = mark;
    create(mark, anchor).set_null();
    pop();
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t anchor) override {
    ++events_;
    push(*anchors_.at(anchor));
    pop();
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    YAML::detail::node& n = create(mark, anchor);
    n.set_scalar(value);
    n.set_tag(tag);
    pop();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    YAML::detail::node& n = create(mark, anchor);
    n.set_tag(tag);
    n.set_type(YAML::NodeType::Sequence);
    n.set_style(style);
  }
  void OnSequenceEnd() override { pop(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    YAML::detail::node& n = create(mark, anchor);
    n.set_type(YAML::NodeType::Map);
    n.set_tag(tag);
    n.set_style(style);
    ++map_depth_;
  }
  void OnMapEnd() override {
    --map_depth_;
    pop();
  }

 private:
  YAML::detail::node& create(const YAML::Mark& mark, YAML::anchor_t anchor) {
    ++events_;
    YAML::detail::node& n = memory_->create_node();
    n.set_mark(mark);
    if (anchor) anchors_.push_back(&n);  // the parser numbers anchors in order
    push(n);
    return n;
  }
  // An entry of a map is its key, then its value: a node pushed into a map that has no
  // pending key is that key.
  void push(YAML::detail::node& n) {
    const bool is_key = !stack_.empty() && stack_.back()->type() == YAML::NodeType::Map &&
                        keys_.size() < map_depth_;
    stack_.push_back(&n);
    if (is_key) keys_.push_back({&n, false});
  }
  // The finished node joins its parent (or becomes the root).
  void pop() {
    YAML::detail::node& n = *stack_.back();
    stack_.pop_back();
    if (stack_.empty()) {
      root_ = &n;
      return;
    }
    YAML::detail::node& parent = *stack_.back();
    if (parent.type() == YAML::NodeType::Sequence) {
      parent.push_back(n, memory_);
    } else if (parent.type() == YAML::NodeType::Map) {
      PendingKey& k = keys_.back();
      if (k.has_value) {
        parent.insert(*k.key, n, memory_);
        keys_.pop_back();
      } else {
        k.has_value = true;  // the key itself is done; its value comes next
      }
    }
  }

  struct PendingKey {
    YAML::detail::node* key;
    bool has_value;
  };
  YAML::detail::shared_memory_holder memory_;
  YAML::detail::node* root_ = nullptr;
  std::vector<YAML::detail::node*> stack_;
  std::vector<YAML::detail::node*> anchors_;
  std::vector<PendingKey> keys_;
  size_t map_depth_ = 0;
  uint32_t events_ = 0;
  std::optional<YAML::Mark> null_mark_;
};

}  // namespace

std::vector<YAML::Node> parse_yaml_documents(const std::string& content,
                                             std::optional<YAML::Mark>* stuck_at) {
  std::vector<YAML::Node> docs;
  std::istringstream in(content);
  YAML::Parser parser(in);
  std::optional<YAML::Mark> prev_null;
  while (true) {
    DocumentBuilder b;
    if (!parser.HandleNextDocument(b)) break;
    if (b.lone_null()) {
      // Two empty documents in a row at one position: nothing was consumed in between.
      if (prev_null && prev_null->pos == b.null_mark()->pos) {
        *stuck_at = b.null_mark();
        return docs;
      }
      prev_null = b.null_mark();
    } else {
      prev_null.reset();
    }
    docs.push_back(b.root());
  }
  return docs;
}

}  // namespace saker::rules
