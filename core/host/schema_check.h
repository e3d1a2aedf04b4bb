// init_config checked against the plugin's own JSON schema (its descriptor's init_schema)
// before the plugin sees it, so a wrong type, a value out of range or an unknown key is
// refused with the key's path ("init_config.threads: must be >= 1, got -1") instead of
// crashing or being silently ignored by the plugin.
//
// The JSON Schema subset plugins use: type (one name or a list; "integer" and "number"),
// enum, const, properties, additionalProperties (false or a schema), required, items,
// minimum, maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength, minItems,
// maxItems. Other keywords are ignored (the plugin still validates what it reads).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace saker::core {

// The first violation of `schema` by `value`, as "<path>: <what>", or nullopt.
std::optional<std::string> schema_violation(const nlohmann::json& schema,
                                            const nlohmann::json& value,
                                            const std::string& path = "init_config");

}  // namespace saker::core
