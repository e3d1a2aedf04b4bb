// Test and benchmark support: a FieldProvider declared from a table of field names and
// types, whose events carry their values ready-made (a SyntheticEvent behind
// saker_event.data), so that rules can be compiled and evaluated without the real
// plugins. upstream_fields() declares every field the upstream Falco rules files use,
// typed as libsinsp / the Falco plugins declare them.
//
// Not for production; extraction is a lookup in the event's own table.
#pragma once

#include <string>
#include <vector>

#include "field_provider.h"

namespace saker::rules::testing {

struct TableField {
  std::string name;
  saker_field_type type = SAKER_FIELD_STRING;
  uint32_t flags = 0;
  std::vector<std::string> sources;
};

// The values of one event, by field id (and argument).
struct SyntheticEvent {
  struct Value {
    bool has_arg = false;
    std::string arg;
    std::vector<std::string> strs;
    std::vector<uint64_t> nums;
    std::vector<const char*> cstrs;  // filled by finish()
    std::vector<saker_bytes> bytes;  // filled by finish()
  };
  std::vector<std::vector<Value>> by_field;
  saker_event event{};  // data points at this object; set type/ts before use
};

class TableProvider : public core::FieldProvider {
 public:
  TableProvider(std::string name, std::vector<TableField> fields);
  const std::string& provider_name() const override { return name_; }
  std::vector<core::FieldDef> field_defs() override;
  int32_t extract(const char* source, const saker_event* evt, saker_extract_request* reqs,
                  uint32_t num_reqs) noexcept override;

  int field_id(const std::string& name) const;  // -1 when unknown
  const TableField& field(int id) const { return fields_[static_cast<size_t>(id)]; }
  uint64_t extract_calls() const { return calls_; }

 private:
  std::string name_;
  std::vector<TableField> fields_;
  uint64_t calls_ = 0;
};

// Builds a SyntheticEvent for a provider. Values are given as text and converted by the
// field's type (numbers decimal, bool true/false, IPs dotted/colon notation).
class EventBuilder {
 public:
  explicit EventBuilder(const TableProvider& p);
  EventBuilder& set(const std::string& field, const std::string& value);
  EventBuilder& set_arg(const std::string& field, const std::string& arg, const std::string& value);
  EventBuilder& set_list(const std::string& field, const std::vector<std::string>& values);
  // Finish: the returned event's `event.data` points at itself (do not copy it afterwards;
  // move-construct into stable storage, then call bind()).
  SyntheticEvent build(uint16_t type, uint64_t ts = 1700000000000000000ull);

 private:
  SyntheticEvent::Value& value(const std::string& field, const std::string* arg);
  void add(const std::string& field, SyntheticEvent::Value& v, const std::string& text);
  const TableProvider& p_;
  SyntheticEvent ev_;
};

// Points `ev.event.data` at `ev` and fills the C arrays (after `ev` stopped moving).
void bind(SyntheticEvent& ev);

// Every field the five upstream rules files use (syscall, k8s_audit, aws_cloudtrail).
std::vector<TableField> upstream_fields();
// Syscall event type names (a scap-like table: one code per name), for evt.type.
std::vector<std::string> syscall_event_names();

}  // namespace saker::rules::testing
