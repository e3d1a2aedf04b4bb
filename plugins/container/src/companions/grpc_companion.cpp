// libcontainer_grpc.so's entry point (companion.h): the plugin dlopen()s this library when
// a containerd or CRI socket exists and makes its clients through this factory.
#include <string_view>

#include "companion.h"
#include "grpc_runtime.h"

extern "C" __attribute__((visibility("default"))) saker::container::GrpcRuntimeClient*
saker_container_grpc_client(const saker::container::GrpcOptions& opts) noexcept {
  try {
    return saker::container::make_grpc_runtime_client(opts).release();
  } catch (...) {
    return nullptr;
  }
}

// The name the plugin looks up...
static_assert(std::string_view(saker::container::kGrpcFactory) == "saker_container_grpc_client");
// ...with the signature the plugin calls it with.
[[maybe_unused]] static constexpr saker::container::GrpcClientFactory kFactory =
    &saker_container_grpc_client;
