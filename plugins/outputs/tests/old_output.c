/*
 * Test plugin: an output built against ABI 1.1, in plain C — its output table ends at
 * `close` (no `reopen`, added in 1.2). It must load in a 1.2 host, receive alerts, and
 * a reopen request (SIGUSR1) must leave it alone. Open params: the path of a file that
 * gets one line per alert (the rule name).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "saker_plugin_api.h"

typedef struct {
  uint32_t size;
  int32_t (*open)(saker_plugin*, const char*, saker_output**);
  int32_t (*emit)(saker_plugin*, saker_output*, const saker_alert*);
  int32_t (*flush)(saker_plugin*, saker_output*);
  void (*close)(saker_plugin*, saker_output*);
} output_api_1_1;

struct saker_output {
  FILE* f;
};
static int dummy;

static int32_t o_init(const saker_init_input* in, saker_plugin** out) {
  (void)in;
  *out = (saker_plugin*)&dummy;
  return SAKER_OK;
}
static void o_destroy(saker_plugin* p) { (void)p; }
static const char* o_err(saker_plugin* p) { (void)p; return "cannot open the file"; }
static int32_t o_open(saker_plugin* p, const char* params, saker_output** o) {
  (void)p;
  FILE* f = fopen(params, "a");
  if (!f) return SAKER_FAILURE;
  *o = calloc(1, sizeof(struct saker_output));
  (*o)->f = f;
  return SAKER_OK;
}
static int32_t o_emit(saker_plugin* p, saker_output* o, const saker_alert* a) {
  (void)p;
  fprintf(o->f, "%s\n", a->rule);
  return SAKER_OK;
}
static int32_t o_flush(saker_plugin* p, saker_output* o) {
  (void)p;
  fflush(o->f);
  return SAKER_OK;
}
static void o_close(saker_plugin* p, saker_output* o) {
  (void)p;
  fclose(o->f);
  free(o);
}

static const output_api_1_1 kOutput = {sizeof(output_api_1_1), o_open, o_emit, o_flush, o_close};
static const saker_plugin_descriptor kDesc = {
    sizeof(saker_plugin_descriptor), SAKER_PLUGIN_API_MAJOR, 1, 0, "old_output", "1.1.0",
    "An output built against ABI 1.1", "saker tests", NULL, o_init, o_destroy, o_err, NULL,
    NULL, NULL, (const saker_output_api*)&kOutput};

__attribute__((visibility("default"))) const saker_plugin_descriptor* saker_plugin_entry(void) {
  return &kDesc;
}
