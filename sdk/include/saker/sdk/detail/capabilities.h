// The C thunks behind each capability table, generated per plugin class.
#pragma once

#include <type_traits>

#include "instance.h"

namespace saker::sdk::detail {

template <class T>
struct SourceThunks {
  using Stream = typename decltype(std::declval<T&>().open(std::string()))::element_type;
  static_assert(SourceStream<Stream>, "open() must return std::unique_ptr<S> with S::next_batch");
  struct Box {
    std::unique_ptr<Stream> stream;
    EventWriter writer;
    std::string progress_text;
  };
  static Box* box(saker_source* s) { return reinterpret_cast<Box*>(s); }

  static const char* get_name(saker_plugin* p) {
    auto* in = inst<T>(p);
    return in->source_name.c_str();
  }
  static const char* const* get_event_types(saker_plugin* p, uint32_t* n) {
    auto* in = inst<T>(p);
    *n = static_cast<uint32_t>(in->event_types.items.size());
    return in->event_types.ptrs.data();
  }
  static const char* list_open_params(saker_plugin* p) {
    return or_null(inst<T>(p)->open_params);
  }
  static int32_t open(saker_plugin* p, const char* params, saker_source** out) {
    auto* in = inst<T>(p);
    return guarded(in, [&] {
      auto b = std::make_unique<Box>();
      b->stream = in->plugin->open(params ? params : "");
      if (!b->stream) throw PluginError("open returned no stream");
      *out = reinterpret_cast<saker_source*>(b.release());
      return SAKER_OK;
    });
  }
  static void close(saker_plugin*, saker_source* s) { delete box(s); }
  static int32_t next_batch(saker_plugin* p, saker_source* s, uint32_t timeout_ms,
                            const saker_event* const** evts, uint32_t* n) {
    auto* in = inst<T>(p);
    return guarded(in, [&] {
      Box* b = box(s);
      b->writer.reset();
      BatchStatus st = b->stream->next_batch(b->writer, timeout_ms);
      *n = static_cast<uint32_t>(b->writer.count());
      *evts = b->writer.finish();
      if (st == BatchStatus::kEof) return int32_t{SAKER_EOF};
      if (st == BatchStatus::kTimeout && *n == 0) return int32_t{SAKER_TIMEOUT};
      return int32_t{SAKER_OK};
    });
  }
  static int32_t get_progress(saker_plugin* p, saker_source* s, uint32_t* permille,
                              const char** text) {
    if constexpr (HasProgress<Stream>) {
      return guarded(inst<T>(p), [&] {
        Box* b = box(s);
        if (!b->stream->progress(*permille, b->progress_text)) return int32_t{SAKER_NOT_SUPPORTED};
        *text = b->progress_text.c_str();
        return int32_t{SAKER_OK};
      });
    } else {
      (void)p, (void)s, (void)permille, (void)text;
      return SAKER_NOT_SUPPORTED;
    }
  }
  static int32_t set_interesting_types(saker_plugin* p, const uint16_t* types, uint32_t n) {
    if constexpr (HasInterestingTypes<T>) {
      auto* in = inst<T>(p);
      return guarded(in, [&] {
        std::optional<std::vector<uint16_t>> v;
        if (types) v.emplace(types, types + n);
        in->plugin->set_interesting_types(v);
        return int32_t{SAKER_OK};
      });
    } else {
      (void)p, (void)types, (void)n;
      return SAKER_OK;
    }
  }
  static const saker_source_api* table() {
    static const saker_source_api t{sizeof(saker_source_api), &get_name, &get_event_types,
                                    &list_open_params, &open, &close, &next_batch, &get_progress,
                                    HasInterestingTypes<T> ? &set_interesting_types : nullptr};
    return &t;
  }
};

template <class T>
struct ExtractThunks {
  static const saker_field_info* get_fields(saker_plugin* p, uint32_t* n) {
    auto* in = inst<T>(p);
    *n = static_cast<uint32_t>(in->field_table.size());
    return in->field_table.data();
  }
  static const char* const* get_sources(saker_plugin* p) {
    auto* in = inst<T>(p);
    return in->extract_sources.items.empty() ? nullptr : in->extract_sources.ptrs.data();
  }
  static int32_t extract(saker_plugin* p, const char*, const saker_event* evt,
                         saker_extract_request* reqs, uint32_t n) {
    auto* in = inst<T>(p);
    return guarded(in, [&] {
      if constexpr (ValuesLiveForEvent<T>) {
        const typename Instance<T>::EventKey key{evt->data, evt->data_len, evt->ts, evt->num};
        if (key == in->arena_event) {
          in->arena.reset_arrays();  // the strings of this event's earlier calls stay
        } else {
          in->arena.reset();
          in->arena_event = key;
        }
      } else {
        in->arena.reset();
      }
      Event e(evt);
      if (n == 1) return extract_one(in, e, reqs[0]);
      in->requests.clear();
      for (uint32_t i = 0; i < n; ++i) {
        if (reqs[i].field_id >= in->field_table.size()) throw PluginError("bad field id");
        in->requests.emplace_back(&reqs[i], &in->arena);
        in->plugin->extract(e, in->requests.back());
      }
      in->arena.seal();
      // Bytes results are appended while publishing: reserve so earlier ones stay put.
      size_t nbytes = 0;
      for (uint32_t i = 0; i < n; ++i) nbytes += reqs[i].num_values;
      in->arena.bytes.reserve(in->arena.bytes.size() + nbytes);
      for (auto& r : in->requests) r.publish();
      return int32_t{SAKER_OK};
    });
  }
  // One field (what a host asks most often, e.g. for the next check of a rule): no request
  // list, and nothing to reserve since no other request's bytes can move.
  static int32_t extract_one(Instance<T>* in, const Event& e, saker_extract_request& req) {
    if (req.field_id >= in->field_table.size()) throw PluginError("bad field id");
    ExtractRequest r(&req, &in->arena);
    in->plugin->extract(e, r);
    in->arena.seal();
    r.publish();
    return int32_t{SAKER_OK};
  }
  static const saker_extract_api* table() {
    static const saker_extract_api t{
        sizeof(saker_extract_api), &get_fields, &get_sources, nullptr, &extract,
        SAKER_EXTRACT_SIZED_STRINGS | (ValuesLiveForEvent<T> ? SAKER_EXTRACT_EVENT_LIFETIME : 0u)};
    return &t;
  }
};

template <class T>
struct ParseThunks {
  static const char* const* get_sources(saker_plugin* p) {
    auto* in = inst<T>(p);
    return in->parse_sources.items.empty() ? nullptr : in->parse_sources.ptrs.data();
  }
  static int32_t parse(saker_plugin* p, const char*, const saker_event* evt) {
    auto* in = inst<T>(p);
    return guarded(in, [&] {
      // A parse that returns bool says with false that the event is malformed: the host
      // keeps it from the rules (SAKER_MALFORMED).
      if constexpr (std::is_same_v<decltype(in->plugin->parse(Event(evt))), bool>) {
        return in->plugin->parse(Event(evt)) ? int32_t{SAKER_OK} : int32_t{SAKER_MALFORMED};
      } else {
        in->plugin->parse(Event(evt));
        return int32_t{SAKER_OK};
      }
    });
  }
  static const saker_parse_api* table() {
    static const saker_parse_api t{sizeof(saker_parse_api), &get_sources, &parse};
    return &t;
  }
};

template <class T>
struct OutputThunks {
  using Out = typename decltype(std::declval<T&>().open_output(std::string()))::element_type;
  static Out* out(saker_output* o) { return reinterpret_cast<Out*>(o); }
  static int32_t open(saker_plugin* p, const char* params, saker_output** o) {
    auto* in = inst<T>(p);
    return guarded(in, [&] {
      auto u = in->plugin->open_output(params ? params : "");
      if (!u) throw PluginError("open_output returned no output");
      *o = reinterpret_cast<saker_output*>(u.release());
      return int32_t{SAKER_OK};
    });
  }
  static int32_t emit(saker_plugin* p, saker_output* o, const saker_alert* a) {
    return guarded(inst<T>(p), [&] {
      out(o)->emit(Alert(a));
      return int32_t{SAKER_OK};
    });
  }
  static int32_t flush(saker_plugin* p, saker_output* o) {
    return guarded(inst<T>(p), [&] {
      if constexpr (HasFlush<Out>) out(o)->flush();
      return int32_t{SAKER_OK};
    });
  }
  static void close(saker_plugin*, saker_output* o) { delete out(o); }
  static int32_t reopen(saker_plugin* p, saker_output* o) {
    return guarded(inst<T>(p), [&] {
      if constexpr (HasReopen<Out>) out(o)->reopen();
      return int32_t{SAKER_OK};
    });
  }
  static const saker_output_api* table() {
    static const saker_output_api t{sizeof(saker_output_api), &open, &emit, &flush, &close,
                                    HasReopen<Out> ? &reopen : nullptr};
    return &t;
  }
};

}  // namespace saker::sdk::detail
