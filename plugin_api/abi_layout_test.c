/*
 * Pins the layout of every struct of the C ABI (LP64). An accidental ABI break —
 * a field inserted, reordered or retyped — fails the BUILD here, before any test runs.
 * Growing a struct at its end changes only its sizeof line below, on purpose.
 */
#include <stddef.h>
#include <stdio.h>

#include "saker_plugin_api.h"

#define PIN(type, field, off) _Static_assert(offsetof(type, field) == (off), #type "." #field)
#define SIZE(type, sz) _Static_assert(sizeof(type) == (sz), "sizeof " #type)

_Static_assert(sizeof(void*) == 8, "the pinned layout is the LP64 one");

PIN(saker_event, size, 0); PIN(saker_event, type, 4); PIN(saker_event, flags, 6);
PIN(saker_event, ts, 8); PIN(saker_event, num, 16); PIN(saker_event, data, 24);
PIN(saker_event, data_len, 32); SIZE(saker_event, 40);

PIN(saker_bytes, ptr, 0); PIN(saker_bytes, len, 8); SIZE(saker_bytes, 16);

PIN(saker_field_info, size, 0); PIN(saker_field_info, type, 4); PIN(saker_field_info, flags, 8);
PIN(saker_field_info, reserved, 12); PIN(saker_field_info, name, 16);
PIN(saker_field_info, display_name, 24); PIN(saker_field_info, description, 32);
PIN(saker_field_info, properties, 40); SIZE(saker_field_info, 48);

PIN(saker_extract_request, size, 0); PIN(saker_extract_request, field_id, 4);
PIN(saker_extract_request, has_arg, 8); PIN(saker_extract_request, arg_index, 12);
PIN(saker_extract_request, arg_key, 16); PIN(saker_extract_request, num_values, 24);
PIN(saker_extract_request, values, 32); SIZE(saker_extract_request, 40);

PIN(saker_host_api, size, 0); PIN(saker_host_api, log, 8); PIN(saker_host_api, metric_register, 16);
PIN(saker_host_api, metric_set, 24); PIN(saker_host_api, metric_add, 32);
PIN(saker_host_api, field_resolve, 40); PIN(saker_host_api, field_extract, 48);
PIN(saker_host_api, inject_event, 56);
PIN(saker_host_api, status_json, 64); /* 1.2 */
PIN(saker_host_api, stop_requested, 72); /* 1.3 */
PIN(saker_host_api, process_exiting, 80); /* 1.5 */
SIZE(saker_host_api, 88);

PIN(saker_source_api, size, 0); PIN(saker_source_api, get_name, 8);
PIN(saker_source_api, get_event_types, 16); PIN(saker_source_api, list_open_params, 24);
PIN(saker_source_api, open, 32); PIN(saker_source_api, close, 40);
PIN(saker_source_api, next_batch, 48); PIN(saker_source_api, get_progress, 56);
PIN(saker_source_api, set_interesting_types, 64); /* 1.1 */
SIZE(saker_source_api, 72);

PIN(saker_extract_api, size, 0); PIN(saker_extract_api, get_fields, 8);
PIN(saker_extract_api, get_sources, 16); PIN(saker_extract_api, get_event_types, 24);
PIN(saker_extract_api, extract, 32); PIN(saker_extract_api, flags, 40); /* 1.4 */
SIZE(saker_extract_api, 48);

PIN(saker_parse_api, size, 0); PIN(saker_parse_api, get_sources, 8);
PIN(saker_parse_api, parse, 16); SIZE(saker_parse_api, 24);

PIN(saker_alert, size, 0); PIN(saker_alert, priority, 4); PIN(saker_alert, time, 8);
PIN(saker_alert, rule, 16); PIN(saker_alert, source, 24); PIN(saker_alert, hostname, 32);
PIN(saker_alert, priority_name, 40); PIN(saker_alert, message, 48); PIN(saker_alert, text, 56);
PIN(saker_alert, json, 64); PIN(saker_alert, tags, 72); PIN(saker_alert, num_tags, 80);
PIN(saker_alert, num_fields, 84); PIN(saker_alert, field_names, 88);
PIN(saker_alert, field_values, 96); SIZE(saker_alert, 104);

PIN(saker_output_api, size, 0); PIN(saker_output_api, open, 8); PIN(saker_output_api, emit, 16);
PIN(saker_output_api, flush, 24); PIN(saker_output_api, close, 32);
PIN(saker_output_api, reopen, 40); /* 1.2 */
SIZE(saker_output_api, 48);

PIN(saker_init_input, size, 0); PIN(saker_init_input, host_api, 8); PIN(saker_init_input, host, 16);
PIN(saker_init_input, instance_name, 24); PIN(saker_init_input, config, 32);
SIZE(saker_init_input, 40);

PIN(saker_plugin_descriptor, size, 0); PIN(saker_plugin_descriptor, api_major, 4);
PIN(saker_plugin_descriptor, api_minor, 8); PIN(saker_plugin_descriptor, name, 16);
PIN(saker_plugin_descriptor, version, 24); PIN(saker_plugin_descriptor, description, 32);
PIN(saker_plugin_descriptor, contact, 40); PIN(saker_plugin_descriptor, init_schema, 48);
PIN(saker_plugin_descriptor, init, 56); PIN(saker_plugin_descriptor, destroy, 64);
PIN(saker_plugin_descriptor, last_error, 72); PIN(saker_plugin_descriptor, source, 80);
PIN(saker_plugin_descriptor, extract, 88); PIN(saker_plugin_descriptor, parse, 96);
PIN(saker_plugin_descriptor, output, 104); SIZE(saker_plugin_descriptor, 112);

int main(void) {
  /* The asserts above already ran at compile time; this line makes ctest show the pin. */
  printf("saker plugin ABI %d.%d layout pinned (LP64)\n", SAKER_PLUGIN_API_MAJOR,
         SAKER_PLUGIN_API_MINOR);
  return 0;
}
