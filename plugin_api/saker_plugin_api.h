/*
 * saker plugin C ABI, version 1.
 *
 * This header is the whole contract between the saker core (the "host") and a plugin.
 * It is plain C99, depends only on <stdint.h> and <stddef.h>, and is the only thing a
 * plugin needs to include (the C++ SDK in sdk/ is a convenience built on top of it).
 *
 * CONVENTIONS (stated once, valid for every declaration below)
 *
 * Entry point. A plugin library exports exactly one symbol, SAKER_PLUGIN_ENTRY_SYMBOL,
 *   a function returning a pointer to a static saker_plugin_descriptor. The descriptor
 *   and everything it points to (capability tables, strings) must stay valid for as
 *   long as the library is loaded.
 *
 * Versioning. SAKER_PLUGIN_API_MAJOR/MINOR below. The host loads a plugin when the
 *   plugin's major equals the host's major and the host's minor is >= the plugin's
 *   minor; anything else is refused with a message naming both versions. Minor
 *   versions only ADD: new functions and fields are appended at the END of structs
 *   (marked "Added in 1.N"), never inserted, reordered or retyped.
 *
 * Struct sizes. Every struct that crosses the boundary starts with `uint32_t size`,
 *   set by whoever fills the struct to sizeof() of the struct as it was compiled. A
 *   reader must not touch a field that lies beyond `size` (older peer: the field does
 *   not exist and takes its documented default, usually NULL/0). Arrays of such
 *   structs (the field table) are laid out with a stride equal to the first
 *   element's `size`.
 *
 * Return codes. Functions that can fail return int32_t, one of saker_rc. On
 *   SAKER_FAILURE the plugin makes a human-readable message available through the
 *   descriptor's last_error(instance) until its next call on that instance.
 *
 * Ownership and lifetime. Everything the host passes in (strings, events, configs)
 *   is BORROWED for the duration of the call: copy what you keep. Everything a plugin
 *   returns (strings, event pointers, field values, tables) stays valid until the
 *   plugin's next call of the SAME function on the SAME instance (or handle), or until
 *   close/destroy, whichever comes first. Nothing is ever freed across the boundary,
 *   and no C++ types or exceptions cross it.
 *
 * Threading. The host never calls one plugin instance from two threads at the same
 *   time (it serialises the calls itself when an instance serves several event
 *   sources), except for functions documented as thread-safe. Different instances
 *   may be called concurrently. The host API functions are safe to call from inside
 *   any plugin callback on the calling thread; host_api->inject_event is safe from any
 *   thread, including threads the plugin created.
 *
 * Handles. saker_plugin, saker_source, saker_output and saker_host are distinct
 *   incomplete types: the compiler catches a handle passed in the wrong place.
 */
#ifndef SAKER_PLUGIN_API_H
#define SAKER_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SAKER_PLUGIN_API_MAJOR 1
#define SAKER_PLUGIN_API_MINOR 5

/* The name of the one symbol a plugin exports (type: saker_plugin_entry_fn). */
#define SAKER_PLUGIN_ENTRY_SYMBOL "saker_plugin_entry"

/* ---------------------------------------------------------------- return codes */
typedef enum saker_rc {
  SAKER_OK = 0,
  SAKER_FAILURE = 1,       /* error; text via last_error() */
  SAKER_TIMEOUT = 2,       /* next_batch: nothing arrived within the timeout, try again */
  SAKER_EOF = 3,           /* next_batch: the stream has ended (events may still be returned) */
  SAKER_NOT_SUPPORTED = 4, /* the operation is not available on this instance */
  SAKER_MALFORMED = 5,     /* parse (added in 1.3): the event is malformed for this parser;
                              the host counts it and does not evaluate rules on it */
} saker_rc;

/* ---------------------------------------------------------------- opaque handles */
typedef struct saker_plugin saker_plugin; /* one initialised plugin instance */
typedef struct saker_source saker_source; /* one opened event stream of a source */
typedef struct saker_output saker_output; /* one opened output channel */
typedef struct saker_host saker_host;     /* the host's per-instance context */

/* ---------------------------------------------------------------- events */
/*
 * One event. `type` indexes the source's event type names (saker_source_api). The
 * payload format belongs to the source (the syscall source uses the scap event
 * format; a JSON log source its JSON text). `ts` is nanoseconds since the Unix epoch;
 * `num` is assigned by the host. A source leaves it 0, or sets it to the number of events
 * it read but does not deliver that precede this one (the host's numbering then counts
 * them: Falco numbers the enter events and meta events it does not show rules).
 */
typedef struct saker_event {
  uint32_t size;
  uint16_t type;
  uint16_t flags; /* reserved, 0 */
  uint64_t ts;
  uint64_t num;
  const uint8_t* data;
  uint64_t data_len;
} saker_event;

/* ---------------------------------------------------------------- values */
typedef enum saker_field_type {
  SAKER_FIELD_STRING = 1,  /* NUL-terminated UTF-8: values.str */
  SAKER_FIELD_U64 = 2,     /* values.u64 */
  SAKER_FIELD_S64 = 3,     /* values.s64 */
  SAKER_FIELD_BOOL = 4,    /* values.u64, 0 or 1 */
  SAKER_FIELD_RELTIME = 5, /* values.u64, nanoseconds */
  SAKER_FIELD_ABSTIME = 6, /* values.u64, nanoseconds since the epoch */
  SAKER_FIELD_IPADDR = 7,  /* values.bytes, len 4 (IPv4) or 16 (IPv6), network order */
  SAKER_FIELD_IPNET = 8,   /* values.bytes, address (4|16 bytes) followed by 1 byte prefix length */
  SAKER_FIELD_BYTES = 9,   /* values.bytes */
} saker_field_type;

typedef struct saker_bytes {
  const uint8_t* ptr;
  uint64_t len;
} saker_bytes;

/* Field flags (saker_field_info.flags). */
#define SAKER_FIELD_IS_LIST (1u << 0)      /* the field yields a list of values */
#define SAKER_FIELD_ARG_INDEX (1u << 1)    /* accepts a numeric argument: name[3] */
#define SAKER_FIELD_ARG_KEY (1u << 2)      /* accepts a string argument: name[key] */
#define SAKER_FIELD_ARG_REQUIRED (1u << 3) /* the argument is mandatory */
#define SAKER_FIELD_HIDDEN (1u << 4)       /* not listed by --list */

/* One field a plugin can extract. Arrays of these have a stride of fields[0].size. */
typedef struct saker_field_info {
  uint32_t size;
  uint32_t type;  /* saker_field_type */
  uint32_t flags; /* SAKER_FIELD_* */
  uint32_t reserved;
  const char* name;         /* e.g. "proc.name" */
  const char* display_name; /* short human label, may be NULL */
  const char* description;  /* one sentence, may be NULL */
  const char* properties;   /* comma-separated tags ("info,conversation"), may be NULL */
} saker_field_info;

/*
 * One extraction request, in and out. The host fills field_id/arg_*; the plugin fills
 * num_values and the member of `values` matching the field's type. num_values == 0
 * means "no value" (rendered <NA>). For a non-list field num_values is 0 or 1.
 */
typedef struct saker_extract_request {
  uint32_t size;
  uint32_t field_id;    /* index into the plugin's field table */
  uint32_t has_arg;     /* 0: no argument given */
  uint32_t arg_index;   /* numeric argument when the field takes an index */
  const char* arg_key;  /* argument text (always set when has_arg, also for indexes) */
  uint64_t num_values;  /* out */
  union {
    const char* const* str;
    const uint64_t* u64;
    const int64_t* s64;
    const saker_bytes* bytes;
  } values; /* out */
} saker_extract_request;

/* ---------------------------------------------------------------- host API */
typedef enum saker_log_level {
  SAKER_LOG_ERROR = 3,
  SAKER_LOG_WARNING = 4,
  SAKER_LOG_NOTICE = 5,
  SAKER_LOG_INFO = 6,
  SAKER_LOG_DEBUG = 7,
} saker_log_level;

typedef enum saker_metric_kind {
  SAKER_METRIC_COUNTER = 1, /* monotonic */
  SAKER_METRIC_GAUGE = 2,
} saker_metric_kind;

/*
 * What the host offers a plugin; handed to init and valid until destroy. Every
 * function takes the saker_host* that came with it.
 */
typedef struct saker_host_api {
  uint32_t size;
  /* Log one line at `level` (saker_log_level), attributed to the instance. */
  void (*log)(saker_host* host, int32_t level, const char* message);
  /* Register a metric named "<plugin>_<name>"; returns its id in *id. Callable any time. */
  int32_t (*metric_register)(saker_host* host, const char* name, int32_t kind, const char* help,
                             uint32_t* id);
  /* Set (gauge) or add to (counter) a metric. Thread-safe. */
  void (*metric_set)(saker_host* host, uint32_t id, uint64_t value);
  void (*metric_add)(saker_host* host, uint32_t id, uint64_t delta);
  /*
   * Resolve a field owned by another plugin (or the core), e.g. "proc.pid", with an
   * optional argument (NULL for none). Returns a handle in *field and its type in *type.
   * Fails if no loaded plugin provides the field for `source`. Resolve once (e.g. at
   * the first event), then extract many times.
   */
  int32_t (*field_resolve)(saker_host* host, const char* source, const char* field,
                           const char* arg, uint32_t* field_handle, uint32_t* type);
  /*
   * Extract resolved fields for `evt`, which must be the event the host is currently
   * handing to this plugin (inside parse or extract). reqs[i].field_id holds a handle
   * from field_resolve; the argument members are ignored (the handle carries it).
   * Values are owned by the host and valid until this callback returns.
   */
  int32_t (*field_extract)(saker_host* host, const saker_event* evt, saker_extract_request* reqs,
                           uint32_t num_reqs);
  /*
   * Queue a copy of `evt` into the stream of event source `source` (by name), to be
   * processed after the events already queued. THREAD-SAFE. Returns SAKER_FAILURE if
   * the source is not open or its injection queue is full (the drop is counted).
   */
  int32_t (*inject_event)(saker_host* host, const char* source, const saker_event* evt);
  /*
   * Added in 1.2. The runtime's state as one JSON object, for health and metrics
   * plugins: versions, loaded plugins, each open source's liveness ("state",
   * "ms_since_progress": how long its loop has not come back from the source), each
   * output's queue ("queue_depth", "busy_ms": time inside the plugin's current call),
   * and every metric ("name", "kind", "help", "value"). THREAD-SAFE. The text is owned
   * by the host and stays valid until the calling thread calls status_json again.
   */
  const char* (*status_json)(saker_host* host);
  /*
   * Added in 1.3. Returns 1 once the host has been asked to stop (SIGTERM, SIGINT, the
   * end of a timed run), else 0. A plugin doing long work inside one call (seeding state
   * in open, loading a big file in init) polls it every few thousand items and gives up
   * with SAKER_FAILURE and a last_error saying it was interrupted. THREAD-SAFE and cheap
   * (one atomic load). Hosts older than 1.3 lack it: read it as "never".
   */
  int32_t (*stop_requested)(saker_host* host);
  /*
   * Added in 1.5. Returns 1 inside destroy when the host destroys the instance because
   * the process is about to exit (the end of a run, after every source and output of
   * the instance was closed), else 0. A plugin still finishes what outlives the process
   * (files to complete, child processes, shared resources) but may leave its memory to
   * the exit instead of freeing it object by object. Hosts older than 1.5 lack it: read
   * it as 0.
   */
  int32_t (*process_exiting)(saker_host* host);
} saker_host_api;

/* ---------------------------------------------------------------- capabilities */

/* Produces events. */
typedef struct saker_source_api {
  uint32_t size;
  /* The source's name ("syscall", "k8s_audit", ...). */
  const char* (*get_name)(saker_plugin* p);
  /* Event type names; index = saker_event.type. */
  const char* const* (*get_event_types)(saker_plugin* p, uint32_t* num_types);
  /* JSON array of suggested open params: [{"value":..., "desc":..., "separator":...}]. May be NULL. */
  const char* (*list_open_params)(saker_plugin* p);
  int32_t (*open)(saker_plugin* p, const char* params, saker_source** out);
  void (*close)(saker_plugin* p, saker_source* s);
  /*
   * Return up to a batch of events in *events / *num_events, waiting at most
   * timeout_ms. SAKER_OK: events returned (possibly 0). SAKER_TIMEOUT: none, try again.
   * SAKER_EOF: end of stream (the events returned with it are still processed).
   * The array and events stay valid until the next next_batch/close on `s`.
   */
  int32_t (*next_batch)(saker_plugin* p, saker_source* s, uint32_t timeout_ms,
                        const saker_event* const** events, uint32_t* num_events);
  /* Optional (may be NULL): progress in per-mille and a short text (replays). */
  int32_t (*get_progress)(saker_plugin* p, saker_source* s, uint32_t* permille,
                          const char** text);
  /*
   * Added in 1.1. Optional (may be NULL). Called before open with the event types
   * (indexes into get_event_types) that the loaded rules can match, so a source may
   * produce less (e.g. a kernel-side filter); types == NULL means every type. Events of
   * other types a source still produces are processed as usual.
   */
  int32_t (*set_interesting_types)(saker_plugin* p, const uint16_t* types, uint32_t num_types);
} saker_source_api;

/* Extracts fields from events. */
typedef struct saker_extract_api {
  uint32_t size;
  const saker_field_info* (*get_fields)(saker_plugin* p, uint32_t* num_fields);
  /* NULL-terminated list of source names this applies to; NULL = every source. */
  const char* const* (*get_sources)(saker_plugin* p);
  /*
   * Event types (per the source's table) this applies to; *num == 0 means all.
   * May be NULL (all).
   */
  const uint16_t* (*get_event_types)(saker_plugin* p, const char* source, uint32_t* num);
  /* Fill several requests for one event. Values valid until the next extract call. */
  int32_t (*extract)(saker_plugin* p, const char* source, const saker_event* evt,
                     saker_extract_request* reqs, uint32_t num_reqs);
  /* Added in 1.4. SAKER_EXTRACT_* bits: how the host may read what extract returns. */
  uint32_t flags;
} saker_extract_api;

/*
 * saker_extract_api.flags (added in 1.4; a table without the member has none).
 *
 * SIZED_STRINGS: a STRING value comes in values.bytes ({ptr, len}, as a BYTES value
 *   does) instead of values.str, still NUL-terminated (ptr[len] == 0): the host need
 *   not measure it.
 * EVENT_LIFETIME: the values (the bytes they point at, not the arrays of values) stay
 *   valid and unchanged until the instance is handed a different event (in any call),
 *   or next_batch or close is called on it, rather than only until the next extract
 *   call: the host may keep pointers instead of copies while it processes the event.
 *   A host calling the instance from several threads copies anyway.
 */
#define SAKER_EXTRACT_SIZED_STRINGS (1u << 0)
#define SAKER_EXTRACT_EVENT_LIFETIME (1u << 1)

/* Observes every event of some sources, in order, before rules see it (state). */
typedef struct saker_parse_api {
  uint32_t size;
  const char* const* (*get_sources)(saker_plugin* p); /* NULL-terminated; NULL = all */
  int32_t (*parse)(saker_plugin* p, const char* source, const saker_event* evt);
} saker_parse_api;

/* One alert, as the core rendered it. */
typedef struct saker_alert {
  uint32_t size;
  uint32_t priority; /* 0 emergency .. 7 debug (syslog order) */
  uint64_t time;     /* event time, ns since the epoch */
  const char* rule;
  const char* source;
  const char* hostname;
  const char* priority_name; /* "Warning", "Critical", ... */
  const char* message;       /* rendered rule output, without time/priority prefix */
  const char* text;          /* the full text line: "<time>: <Priority> <message>" */
  const char* json;          /* the full JSON object, Falco's keys */
  const char* const* tags;
  uint32_t num_tags;
  uint32_t num_fields;
  const char* const* field_names;  /* output fields, in order */
  const char* const* field_values; /* rendered values; "<NA>" when missing */
} saker_alert;

/* Receives alerts. */
typedef struct saker_output_api {
  uint32_t size;
  int32_t (*open)(saker_plugin* p, const char* params, saker_output** out);
  int32_t (*emit)(saker_plugin* p, saker_output* o, const saker_alert* alert);
  int32_t (*flush)(saker_plugin* p, saker_output* o);
  void (*close)(saker_plugin* p, saker_output* o);
  /*
   * Added in 1.2. Optional (may be NULL). Reopen what the output writes to: the file
   * again by its name (log rotation moved the old one), a fresh child process, a new
   * connection. The host calls it on the output's own delivery thread, between two
   * emits, when the operator asks (SIGUSR1).
   */
  int32_t (*reopen)(saker_plugin* p, saker_output* o);
} saker_output_api;

/* ---------------------------------------------------------------- descriptor */
typedef struct saker_init_input {
  uint32_t size;
  const saker_host_api* host_api;
  saker_host* host;
  const char* instance_name; /* name given in the config (unique per process) */
  const char* config;        /* init_config as JSON text ("" when none) */
} saker_init_input;

typedef struct saker_plugin_descriptor {
  uint32_t size;
  uint32_t api_major; /* SAKER_PLUGIN_API_MAJOR the plugin was built with */
  uint32_t api_minor;
  uint32_t reserved;
  const char* name;        /* library name, e.g. "k8saudit" */
  const char* version;     /* semver of the plugin */
  const char* description;
  const char* contact;
  const char* init_schema; /* JSON schema of init_config, or NULL */
  /*
   * Create an instance. On failure return SAKER_FAILURE; *out may then hold an
   * instance whose last_error explains why (the host calls destroy on it).
   */
  int32_t (*init)(const saker_init_input* in, saker_plugin** out);
  void (*destroy)(saker_plugin* p);
  const char* (*last_error)(saker_plugin* p);
  const saker_source_api* source;   /* NULL when absent */
  const saker_extract_api* extract; /* NULL when absent */
  const saker_parse_api* parse;     /* NULL when absent */
  const saker_output_api* output;   /* NULL when absent */
} saker_plugin_descriptor;

typedef const saker_plugin_descriptor* (*saker_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* SAKER_PLUGIN_API_H */
