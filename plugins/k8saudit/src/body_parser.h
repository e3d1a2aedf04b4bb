// Turning what the Kubernetes API server sends (or what a replay file holds) into the
// raw JSON text of single audit events, without building a document tree: bodies are
// validated once (nlohmann's SAX acceptor: no allocation per value), then split by a
// string-aware bracket scanner so that each event keeps its original bytes. The
// extractor parses each event exactly once, later, on the source thread.
//
// Accepted documents: an `EventList` object (`{"kind":"EventList","items":[...]}`,
// recognised by its top-level "items" array), a single `Event` object, or a JSON array
// of events. Everything here is pure and thread-safe (no shared state); it is the
// surface the fuzz target exercises.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace saker::k8saudit {

struct ParseLimits {
  size_t max_event_bytes = 256 * 1024;  // one event's JSON text
  size_t max_depth = 64;                // nesting of objects/arrays in a document
  size_t max_events = SIZE_MAX;         // events in one document (not a config key)
};

enum class ParseError {
  kNone,
  kMalformed,      // not one well-formed JSON value
  kTooDeep,        // nested deeper than max_depth
  kNotAnEvent,     // an item (or the document) is not a JSON object
  kEventTooLarge,  // an item is bigger than max_event_bytes
  kTooManyEvents,  // more items than max_events
};
const char* parse_error_name(ParseError e);

// Split one JSON document into views of its events (into `doc`). On error nothing is
// appended and the first problem found is returned. An empty EventList is valid.
// Object keys are compared after unescaping and the last of duplicate keys wins, as
// nlohmann's parser (and Go's, the API server's) read them: `"it\u0065ms"` is `items`,
// and `{"items":[a],"items":[b]}` holds b only.
ParseError split_document(std::string_view doc, const ParseLimits& limits,
                          std::vector<std::string_view>* events);

// The deepest nesting of objects/arrays in `text` (strings are skipped).
size_t max_nesting(std::string_view text);

// The value of the top-level string member `key` of the JSON object `event` (keys
// unescaped, the last duplicate wins), unescaped into `*out`; false when absent or not
// a string. `event` must be well-formed.
bool top_level_string(std::string_view event, std::string_view key, std::string* out);

// RFC 3339 / Kubernetes timestamps ("2024-11-13T18:34:10.595494Z", also with a space
// for 'T', any fraction length, and a "+hh:mm" offset or none, meaning UTC) to ns since
// the epoch. False when the text is not such a timestamp, or when it is before 1970 or
// after 2262-04-11 (ns since the epoch no longer fit an int64): *out_of_range then
// tells the second case (a well-formed date that cannot be an event time).
bool parse_timestamp(std::string_view text, uint64_t* ns, bool* out_of_range = nullptr);

// The event's time: stageTimestamp, else requestReceivedTimestamp, else `fallback`.
// A timestamp out of range is never wrapped into a wrong time: the next candidate (or
// `fallback`) is used and *out_of_range set, for the caller to count.
uint64_t event_time(std::string_view event, uint64_t fallback, bool* out_of_range = nullptr);

// Cuts a byte stream (a replay file) into its top-level JSON documents: JSON lines,
// concatenated or pretty-printed documents alike. Bytes outside any document other
// than whitespace are malformed input: the rest of that line is skipped and counted.
// A document over max_document_bytes is skipped and counted as well.
class DocumentStream {
 public:
  using DocFn = std::function<void(std::string_view doc)>;
  DocumentStream(size_t max_document_bytes, DocFn on_doc)
      : max_doc_(max_document_bytes), on_doc_(std::move(on_doc)) {}
  void feed(std::string_view chunk);
  // End of input: an unfinished document counts as malformed.
  void finish();
  uint64_t malformed() const { return malformed_; }
  uint64_t oversized() const { return oversized_; }

 private:
  void scan_byte(char c);
  size_t max_doc_;
  DocFn on_doc_;
  std::string doc_;
  uint64_t depth_ = 0;
  bool in_doc_ = false, in_string_ = false, escape_ = false;
  bool skipping_line_ = false, too_big_ = false;
  uint64_t malformed_ = 0, oversized_ = 0;
};

}  // namespace saker::k8saudit
