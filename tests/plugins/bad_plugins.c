/*
 * Test plugins that misbehave at the ABI level, written in plain C against the header,
 * one library per #if branch (see CMakeLists.txt):
 *   OLD_DESCRIPTOR  a plugin built against an older, smaller descriptor (it ends at
 *                   `source`) and a smaller source table (no get_progress): must load
 *                   and work.
 *   OLD_EXTRACT     the same source with a 1.3 extract table (it ends before `flags`;
 *                   what follows it in memory has every flag bit set) whose string field
 *                   comes in values.str from a buffer rewritten on every call: the host
 *                   must neither read the flags nor keep pointers.
 *   WRONG_MAJOR     declares ABI 2.0: must be refused.
 *   NEWER_MINOR     declares a minor above the host's: must be refused.
 *   NO_ENTRY        exports no entry symbol: must be refused.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "saker_plugin_api.h"

#define EXPORT __attribute__((visibility("default")))

#if defined(OLD_DESCRIPTOR) || defined(OLD_EXTRACT)
/* The descriptor as an older 1.x plugin compiled it: everything up to `source`. */
typedef struct {
  uint32_t size, api_major, api_minor, reserved;
  const char *name, *version, *description, *contact, *init_schema;
  int32_t (*init)(const saker_init_input*, saker_plugin**);
  void (*destroy)(saker_plugin*);
  const char* (*last_error)(saker_plugin*);
  const saker_source_api* source;
} old_descriptor;

/* The source table without its last member (get_progress). */
typedef struct {
  uint32_t size;
  const char* (*get_name)(saker_plugin*);
  const char* const* (*get_event_types)(saker_plugin*, uint32_t*);
  const char* (*list_open_params)(saker_plugin*);
  int32_t (*open)(saker_plugin*, const char*, saker_source**);
  void (*close)(saker_plugin*, saker_source*);
  int32_t (*next_batch)(saker_plugin*, saker_source*, uint32_t, const saker_event* const**,
                        uint32_t*);
} old_source_api;

struct saker_source { uint32_t left; char text[32]; saker_event ev; const saker_event* p; };
static int dummy;
static const char* const kTypes[] = {"old"};

static int32_t o_init(const saker_init_input* in, saker_plugin** out) {
  (void)in;
  *out = (saker_plugin*)&dummy;
  return SAKER_OK;
}
static void o_destroy(saker_plugin* p) { (void)p; }
static const char* o_err(saker_plugin* p) { (void)p; return ""; }
static const char* o_name(saker_plugin* p) { (void)p; return "old"; }
static const char* const* o_types(saker_plugin* p, uint32_t* n) { (void)p; *n = 1; return kTypes; }
static const char* o_params(saker_plugin* p) { (void)p; return NULL; }
static int32_t o_open(saker_plugin* p, const char* params, saker_source** s) {
  (void)p;
  *s = calloc(1, sizeof(struct saker_source));
  (*s)->left = params && *params ? (uint32_t)atoi(params) : 5;
  return SAKER_OK;
}
static void o_close(saker_plugin* p, saker_source* s) { (void)p; free(s); }
static int32_t o_next(saker_plugin* p, saker_source* s, uint32_t t, const saker_event* const** e,
                      uint32_t* n) {
  (void)p; (void)t;
  if (s->left == 0) { *n = 0; return SAKER_EOF; }
  snprintf(s->text, sizeof(s->text), "old event %u", s->left--);
  /* An older plugin's event struct: same layout, as saker_event never changed. */
  s->ev.size = sizeof(saker_event);
  s->ev.ts = 1000;
  s->ev.data = (const uint8_t*)s->text;
  s->ev.data_len = strlen(s->text);
  s->p = &s->ev;
  *e = &s->p;
  *n = 1;
  return SAKER_OK;
}
static const old_source_api kSource = {sizeof(old_source_api), o_name, o_types, o_params,
                                       o_open, o_close, o_next};
#endif

#if defined(OLD_EXTRACT)
/* The extract table as 1.3 compiled it, then poison where 1.4 has `flags`. */
typedef struct {
  uint32_t size;
  const saker_field_info* (*get_fields)(saker_plugin*, uint32_t*);
  const char* const* (*get_sources)(saker_plugin*);
  const uint16_t* (*get_event_types)(saker_plugin*, const char*, uint32_t*);
  int32_t (*extract)(saker_plugin*, const char*, const saker_event*, saker_extract_request*,
                     uint32_t);
} extract_api_1_3;
static const saker_field_info kFields[] = {
    {sizeof(saker_field_info), SAKER_FIELD_STRING, 0, 0, "old.text", NULL, "the event's text", NULL},
    {sizeof(saker_field_info), SAKER_FIELD_U64, 0, 0, "old.len", NULL, "its length", NULL}};
static const saker_field_info* x_fields(saker_plugin* p, uint32_t* n) {
  (void)p;
  *n = 2;
  return kFields;
}
static const char* const* x_sources(saker_plugin* p) { (void)p; return NULL; }
static char x_buf[64];
static const char* x_ptr = x_buf;
static uint64_t x_num;
static int32_t x_extract(saker_plugin* p, const char* src, const saker_event* e,
                         saker_extract_request* r, uint32_t n) {
  (void)p; (void)src;
  for (uint32_t i = 0; i < n; ++i) {
    /* One buffer for every call: a host keeping the pointer would read the last value. */
    memset(x_buf, 'X', sizeof(x_buf) - 1);
    x_buf[sizeof(x_buf) - 1] = 0;
    if (r[i].field_id == 0) {
      snprintf(x_buf, sizeof(x_buf), "%.*s", (int)e->data_len, (const char*)e->data);
      r[i].values.str = &x_ptr;
    } else {
      x_num = e->data_len;
      r[i].values.u64 = &x_num;
    }
    r[i].num_values = 1;
  }
  return SAKER_OK;
}
static const struct {
  extract_api_1_3 api;
  uint32_t poison;
} kExtract = {{sizeof(extract_api_1_3), x_fields, x_sources, NULL, x_extract}, 0xffffffffu};
static const saker_plugin_descriptor kDesc = {
    sizeof(saker_plugin_descriptor), SAKER_PLUGIN_API_MAJOR, 3, 0, "old_extract", "0.9.0",
    "built against ABI 1.3", "tests", NULL, o_init, o_destroy, o_err,
    (const saker_source_api*)&kSource, (const saker_extract_api*)&kExtract.api, NULL, NULL};
EXPORT const saker_plugin_descriptor* saker_plugin_entry(void) { return &kDesc; }
#endif

#if defined(OLD_DESCRIPTOR)
static const old_descriptor kDesc = {sizeof(old_descriptor), SAKER_PLUGIN_API_MAJOR, 0, 0,
                                     "old_plugin", "0.9.0", "built against a smaller descriptor",
                                     "tests", NULL, o_init, o_destroy, o_err,
                                     (const saker_source_api*)&kSource};
EXPORT const saker_plugin_descriptor* saker_plugin_entry(void) {
  return (const saker_plugin_descriptor*)&kDesc;
}

#elif defined(WRONG_MAJOR) || defined(NEWER_MINOR)
static int32_t b_init(const saker_init_input* in, saker_plugin** out) { (void)in; (void)out; return SAKER_FAILURE; }
static void b_destroy(saker_plugin* p) { (void)p; }
static const char* b_err(saker_plugin* p) { (void)p; return ""; }
#ifdef WRONG_MAJOR
#define MAJ (SAKER_PLUGIN_API_MAJOR + 1)
#define MIN 0
#else
#define MAJ SAKER_PLUGIN_API_MAJOR
#define MIN (SAKER_PLUGIN_API_MINOR + 1)
#endif
static const saker_plugin_descriptor kDesc = {
    sizeof(saker_plugin_descriptor), MAJ, MIN, 0, "versioned", "1.0.0", "", "", NULL,
    b_init, b_destroy, b_err, NULL, NULL, NULL, NULL};
EXPORT const saker_plugin_descriptor* saker_plugin_entry(void) { return &kDesc; }

#elif defined(NO_ENTRY)
EXPORT int some_other_symbol(void) { return 42; }
#endif
