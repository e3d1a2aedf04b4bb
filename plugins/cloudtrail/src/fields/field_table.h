// The cloudtrail field table: each field is one small extractor function over the
// record's member index, grouped by subject (ct_fields.cpp: the record itself and who
// made the call; service_fields.cpp: s3.*, ec2.*, ecr.*, iam.*; ct_info.cpp: the ct.info
// summary; json_fields.cpp: JSON-pointer access under the json plugin's names). Names,
// types and semantics follow the upstream cloudtrail plugin so that its rules load
// unchanged; deliberate differences are listed in the README.
#pragma once

#include <saker/sdk/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "record.h"

namespace saker::cloudtrail {

struct FieldCtx {
  const RecordIndex& rec;
  const sdk::Event& evt;
};
using ExtractFn = std::function<void(const FieldCtx&, sdk::ExtractRequest&)>;

struct FieldEntry {
  sdk::FieldInfo info;
  ExtractFn fn;
};

std::vector<FieldEntry> ct_fields();
std::vector<FieldEntry> service_fields();
std::vector<FieldEntry> json_fields();

// ct.user's value for a record (shared by ct.user and ct.info).
std::optional<std::string> user_of(const RecordIndex& rec);
// ct.readonly's value (shared by ct.readonly and ct.info).
std::optional<bool> readonly_of(const RecordIndex& rec);
// ct.info's value.
std::string info_of(const RecordIndex& rec);
// s3.bytes's value (in + out), absent when neither is in the record.
std::optional<uint64_t> s3_bytes_of(const RecordIndex& rec);
// s3.uri's value.
std::optional<std::string> s3_uri_of(const RecordIndex& rec);

// Helpers to build entries.
void set_text(sdk::ExtractRequest& r, std::optional<jv::View> v);
FieldEntry str_field(const char* name, const char* display, const char* desc, ExtractFn fn);
FieldEntry u64_field(const char* name, const char* display, const char* desc, ExtractFn fn);
// The text of top-level member `key`, then `below` (a fixed path).
FieldEntry member_field(const char* name, const char* display, const char* desc,
                        std::string_view key, std::initializer_list<std::string_view> below = {});
// The whole of top-level member `key` as JSON text, or with an argument the value at a
// dotted path or JSON pointer below it: ct.request, ct.request[userName],
// ct.request[/policyDocument].
FieldEntry subtree_field(const char* name, const char* display, const char* desc,
                         std::string_view key);

}  // namespace saker::cloudtrail
