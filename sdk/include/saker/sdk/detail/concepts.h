// Compile-time detection of a plugin class's capabilities (see plugin.h).
#pragma once

#include <concepts>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../host.h"
#include "../types.h"

namespace saker::sdk {

template <class T>
concept SourcePlugin = requires(T& t, const std::string& s) {
  { t.event_source() } -> std::convertible_to<std::string>;
  { t.event_types() } -> std::convertible_to<std::vector<std::string>>;
  t.open(s);
};

template <class S>
concept SourceStream = requires(S& s, EventWriter& w, uint32_t ms) {
  { s.next_batch(w, ms) } -> std::same_as<BatchStatus>;
};

template <class T>
concept ExtractPlugin = requires(T& t, const Event& e, ExtractRequest& r) {
  { t.fields() } -> std::convertible_to<std::vector<FieldInfo>>;
  t.extract(e, r);
};

template <class T>
concept ParsePlugin = requires(T& t, const Event& e) { t.parse(e); };

template <class T>
concept OutputPlugin = requires(T& t, const std::string& s, const Alert& a) {
  t.open_output(s);
  t.open_output(s)->emit(a);
};

template <class T>
concept HasInitSchema = requires { T::kInitSchema; };
// Optional (ABI 1.4): `static constexpr bool kValuesLiveForEvent = true;` promises that what
// the plugin hands over with ExtractRequest::set_ref stays unchanged until the plugin is
// handed another event (or next_batch/close is called), not only until its next extract
// call; the SDK then keeps its own copies as long, and the host keeps pointers instead of
// copying every string (SAKER_EXTRACT_EVENT_LIFETIME).
template <class T>
concept ValuesLiveForEvent = requires { requires T::kValuesLiveForEvent; };
template <class T>
concept HasOpenParams = requires(T& t) {
  { t.open_params() } -> std::convertible_to<std::string>;
};
template <class T>
concept HasExtractSources = requires(T& t) {
  { t.extract_sources() } -> std::convertible_to<std::vector<std::string>>;
};
template <class T>
concept HasParseSources = requires(T& t) {
  { t.parse_sources() } -> std::convertible_to<std::vector<std::string>>;
};
template <class S>
concept HasProgress = requires(S& s, uint32_t& p, std::string& t) {
  { s.progress(p, t) } -> std::convertible_to<bool>;
};
// Optional source method (ABI 1.1): the event types the loaded rules can match before open;
// nullopt means every type.
template <class T>
concept HasInterestingTypes = requires(T& t, const std::optional<std::vector<uint16_t>>& v) {
  t.set_interesting_types(v);
};
template <class O>
concept HasFlush = requires(O& o) { o.flush(); };
// Optional output method (ABI 1.2): reopen the file / respawn the program / reconnect.
template <class O>
concept HasReopen = requires(O& o) { o.reopen(); };

}  // namespace saker::sdk
