// The table-declared test field provider; see table_provider.h.
#include "table_provider.h"

#include <arpa/inet.h>

#include <cstring>
#include <stdexcept>

namespace saker::rules::testing {

TableProvider::TableProvider(std::string name, std::vector<TableField> fields)
    : name_(std::move(name)), fields_(std::move(fields)) {
  stable_per_event_ = true;  // values live in the event itself
}

std::vector<core::FieldDef> TableProvider::field_defs() {
  std::vector<core::FieldDef> out;
  for (size_t i = 0; i < fields_.size(); ++i) {
    core::FieldDef d;
    d.name = fields_[i].name;
    d.type = fields_[i].type;
    d.flags = fields_[i].flags;
    d.field_id = static_cast<uint32_t>(i);
    d.provider = this;
    d.sources = fields_[i].sources;
    out.push_back(std::move(d));
  }
  return out;
}

int TableProvider::field_id(const std::string& name) const {
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (fields_[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int32_t TableProvider::extract(const char*, const saker_event* evt, saker_extract_request* reqs,
                               uint32_t n) noexcept {
  ++calls_;
  const auto* ev = static_cast<const SyntheticEvent*>(static_cast<const void*>(evt->data));
  for (uint32_t i = 0; i < n; ++i) {
    saker_extract_request& r = reqs[i];
    r.num_values = 0;
    if (ev == nullptr || r.field_id >= ev->by_field.size()) continue;
    for (const auto& v : ev->by_field[r.field_id]) {
      if (v.has_arg != (r.has_arg != 0)) continue;
      if (v.has_arg && std::strcmp(v.arg.c_str(), r.arg_key) != 0) continue;
      const saker_field_type t = fields_[r.field_id].type;
      if (t == SAKER_FIELD_STRING) {
        r.num_values = v.cstrs.size();
        r.values.str = v.cstrs.data();
      } else if (t == SAKER_FIELD_IPADDR || t == SAKER_FIELD_IPNET || t == SAKER_FIELD_BYTES) {
        r.num_values = v.bytes.size();
        r.values.bytes = v.bytes.data();
      } else {
        r.num_values = v.nums.size();
        r.values.u64 = v.nums.data();
      }
      break;
    }
  }
  return SAKER_OK;
}

EventBuilder::EventBuilder(const TableProvider& p) : p_(p) {}

SyntheticEvent::Value& EventBuilder::value(const std::string& field, const std::string* arg) {
  int id = p_.field_id(field);
  if (id < 0) throw std::invalid_argument("unknown test field " + field);
  if (ev_.by_field.size() <= static_cast<size_t>(id)) ev_.by_field.resize(id + 1);
  auto& vs = ev_.by_field[id];
  vs.emplace_back();
  vs.back().has_arg = arg != nullptr;
  if (arg) vs.back().arg = *arg;
  return vs.back();
}

void EventBuilder::add(const std::string& field, SyntheticEvent::Value& v,
                       const std::string& text) {
  const saker_field_type t = p_.field(p_.field_id(field)).type;
  if (t == SAKER_FIELD_STRING || t == SAKER_FIELD_BYTES) {
    v.strs.push_back(text);
  } else if (t == SAKER_FIELD_IPADDR || t == SAKER_FIELD_IPNET) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
      v.strs.emplace_back(reinterpret_cast<char*>(buf), 4);
    } else if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
      v.strs.emplace_back(reinterpret_cast<char*>(buf), 16);
    } else {
      throw std::invalid_argument("bad test address " + text);
    }
  } else if (t == SAKER_FIELD_BOOL) {
    v.nums.push_back(text == "true" ? 1 : 0);
  } else {
    v.nums.push_back(static_cast<uint64_t>(std::stoll(text)));
  }
}

EventBuilder& EventBuilder::set(const std::string& field, const std::string& value_text) {
  add(field, value(field, nullptr), value_text);
  return *this;
}

EventBuilder& EventBuilder::set_arg(const std::string& field, const std::string& arg,
                                    const std::string& value_text) {
  add(field, value(field, &arg), value_text);
  return *this;
}

EventBuilder& EventBuilder::set_list(const std::string& field,
                                     const std::vector<std::string>& values) {
  auto& v = value(field, nullptr);
  for (const auto& x : values) add(field, v, x);
  return *this;
}

SyntheticEvent EventBuilder::build(uint16_t type, uint64_t ts) {
  SyntheticEvent ev = std::move(ev_);
  ev_ = SyntheticEvent{};
  ev.event.size = sizeof(saker_event);
  ev.event.type = type;
  ev.event.ts = ts;
  ev.event.num = 1;  // evt.num 0 is the never_true idiom of the upstream rules
  return ev;
}

void bind(SyntheticEvent& ev) {
  ev.event.data = static_cast<const uint8_t*>(static_cast<const void*>(&ev));
  ev.event.data_len = sizeof(ev);
  for (auto& vs : ev.by_field) {
    for (auto& v : vs) {
      v.cstrs.clear();
      v.bytes.clear();
      for (const auto& s : v.strs) {
        v.cstrs.push_back(s.c_str());
        v.bytes.push_back({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
      }
    }
  }
}

}  // namespace saker::rules::testing
