// Resume state; see checkpoint.h.
#include "checkpoint.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace saker::cloudtrail {

Checkpoint::Checkpoint(std::string path, std::string input)
    : path_(std::move(path)), input_(std::move(input)) {
  if (path_.empty()) return;
  std::ifstream in(path_);
  if (!in) return;
  std::stringstream ss;
  ss << in.rdbuf();
  auto j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (!j.is_object() || j.value("input", "") != input_) return;
  done_ = j.value("done", "");
  partial_ = j.value("partial", "");
  partial_records_ = j.value("records", uint64_t{0});
}

Checkpoint::~Checkpoint() { save(true); }

uint64_t Checkpoint::begin(const std::string& name, uint64_t skipped) {
  std::lock_guard lock(mu_);
  const uint64_t seq = next_seq_++;
  Object& o = objects_[seq];
  o.name = name;
  o.read = o.evaluated = skipped;
  return seq;
}

void Checkpoint::record_read(uint64_t seq) {
  std::lock_guard lock(mu_);
  objects_[seq].read++;
}

void Checkpoint::end(uint64_t seq) {
  std::lock_guard lock(mu_);
  objects_[seq].ended = true;
  advance();
}

void Checkpoint::evaluated(uint64_t seq, uint64_t n) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(seq);
  if (it == objects_.end()) return;
  it->second.evaluated += n;
  advance();
}

void Checkpoint::advance() {
  while (!objects_.empty()) {
    const Object& o = objects_.begin()->second;
    if (!(o.ended && o.evaluated >= o.read)) break;
    done_ = o.name;
    objects_.erase(objects_.begin());
    dirty_ = true;
  }
  std::string partial;
  uint64_t records = 0;
  if (!objects_.empty() && objects_.begin()->second.evaluated > 0) {
    partial = objects_.begin()->second.name;
    records = objects_.begin()->second.evaluated;
  }
  if (partial != partial_ || records != partial_records_) {
    partial_ = partial;
    partial_records_ = records;
    dirty_ = true;
  }
}

void Checkpoint::save(bool force) {
  if (path_.empty()) return;
  std::string text;
  {
    std::lock_guard lock(mu_);
    const auto now = std::chrono::steady_clock::now();
    if (!dirty_ || (!force && now - last_save_ < std::chrono::milliseconds(500))) return;
    last_save_ = now;
    dirty_ = false;
    text = nlohmann::json({{"input", input_},
                           {"done", done_},
                           {"partial", partial_},
                           {"records", partial_records_}})
               .dump();
  }
  const std::string tmp = path_ + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text << "\n";
    if (!out) return;
  }
  std::rename(tmp.c_str(), path_.c_str());
}

}  // namespace saker::cloudtrail
