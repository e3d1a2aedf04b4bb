// libcontainer_http.so's entry point (companion.h): the plugin dlopen()s this library when
// a docker or podman socket exists and makes its HTTP clients through this factory.
#include <string_view>

#include "companion.h"
#include "unix_http.h"

extern "C" __attribute__((visibility("default"))) saker::container::UnixHttp*
saker_container_http_client() noexcept {
  try {
    return saker::container::make_unix_http().release();
  } catch (...) {
    return nullptr;
  }
}

// The name the plugin looks up...
static_assert(std::string_view(saker::container::kHttpFactory) == "saker_container_http_client");
// ...with the signature the plugin calls it with.
[[maybe_unused]] static constexpr saker::container::HttpClientFactory kFactory =
    &saker_container_http_client;
