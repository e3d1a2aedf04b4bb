// Companion libraries: the runtime clients that need big shared libraries live next to
// libcontainer.so in libraries of their own, loaded the first time a socket that needs them
// exists, so that a host without those runtimes never maps them:
//   libcontainer_grpc.so  containerd + CRI client (grpc_runtime.h): gRPC, protobuf, abseil...
//   libcontainer_http.so  docker + podman HTTP client (unix_http.h): libcurl and its TLS,
//                         Kerberos, LDAP, ssh... libraries
// Each exports one extern "C" factory (its name below) returning an object of an abstract
// class its header declares with no gRPC / libcurl type in it; both sides are built from
// this tree together (same compiler, same libstdc++).
//
// A companion is dlopen()ed (RTLD_NOW | RTLD_LOCAL) at most once per process and never
// unloaded: gRPC keeps threads of its own after its last channel is gone. A companion that
// cannot be loaded stays unloaded: the error (the file and dlerror()) is kept for the log.
#pragma once

#include <string>

namespace saker::container {

inline constexpr const char* kGrpcCompanion = "libcontainer_grpc.so";
inline constexpr const char* kGrpcFactory = "saker_container_grpc_client";
inline constexpr const char* kHttpCompanion = "libcontainer_http.so";
inline constexpr const char* kHttpFactory = "saker_container_http_client";

struct CompanionSymbol {
  void* symbol = nullptr;  // the factory; nullptr when the library or symbol is missing
  std::string error;       // then: "<path>: <dlerror()>"
};

// `symbol` of `dir`/`file` (dir empty: companion_dir()). Thread-safe; the answer for a path
// is the same for the life of the process.
CompanionSymbol load_companion(const std::string& dir, const char* file, const char* symbol);

// The directory of the shared object (or executable) this code is part of (dladdr).
std::string companion_dir();

}  // namespace saker::container
