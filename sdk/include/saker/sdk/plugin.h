// The saker C++ SDK: write one class, add SAKER_PLUGIN(YourClass), get a plugin.
//
// The class declares its identity as static members (kName, kVersion, kDescription,
// kContact, optional kInitSchema), a constructor taking `const InitContext&`, and any
// of these capability groups — each detected at compile time, nothing to register:
//   source : std::string event_source(); std::vector<std::string> event_types();
//            std::unique_ptr<S> open(const std::string& params), where S has
//            BatchStatus next_batch(EventWriter&, uint32_t timeout_ms)
//            [optional: std::string open_params(); bool progress(uint32_t&, std::string&)]
//   extract: std::vector<FieldInfo> fields(); void extract(const Event&, ExtractRequest&)
//            [optional: std::vector<std::string> extract_sources()]
//   parse  : void parse(const Event&) [optional: std::vector<std::string> parse_sources()]
//   output : std::unique_ptr<O> open_output(const std::string& params), where O has
//            void emit(const Alert&) [optional: void flush(); void reopen() (SIGUSR1)]
// Every exception thrown by plugin code is caught at the boundary and reported as
// SAKER_FAILURE with the exception's message through last_error.
#pragma once

#include "detail/glue.h"

// Export the entry symbol for plugin class T. Use once per library.
#define SAKER_PLUGIN(T)                                                              \
  extern "C" __attribute__((visibility("default"))) const saker_plugin_descriptor* \
  saker_plugin_entry(void) {                                                         \
    return ::saker::sdk::detail::descriptor<T>();                                    \
  }
