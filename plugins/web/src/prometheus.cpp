// The Prometheus text exposition of the host's state, and process figures from /proc.
#include <unistd.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

#include "health.h"

namespace saker::web {

using nlohmann::json;

namespace {

std::string sanitize_name(const std::string& n) {
  std::string out;
  for (char c : n) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == ':';
    out.push_back(ok ? c : '_');
  }
  return out;
}

std::string escape_label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string escape_help(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out.push_back(c);
  }
  return out;
}

// name{k="v",...} -> (name, labels as parsed pairs). Label values are re-escaped so a
// rule name with quotes stays one valid label.
void split(const std::string& full, std::string* name,
           std::vector<std::pair<std::string, std::string>>* labels) {
  auto brace = full.find('{');
  *name = full.substr(0, brace);
  if (brace == std::string::npos) return;
  size_t i = brace + 1;
  while (i < full.size() && full[i] != '}') {
    auto eq = full.find("=\"", i);
    if (eq == std::string::npos) break;
    std::string key = full.substr(i, eq - i);
    // The value ends at the last `"` before `,` + next key or before the closing `}`.
    size_t end = full.rfind("\"}");
    size_t next = full.find("\",", eq + 2);
    size_t close = (next != std::string::npos && next < end) ? next : end;
    if (close == std::string::npos || close < eq + 2) break;
    labels->emplace_back(sanitize_name(key), full.substr(eq + 2, close - eq - 2));
    i = close + 2;
  }
}

struct Family {
  std::string type, help;
  std::vector<std::string> samples;
};

class Exposition {
 public:
  void add(const std::string& name, const std::string& type, const std::string& help,
           const std::vector<std::pair<std::string, std::string>>& labels, const std::string& v) {
    auto [it, fresh] = families_.try_emplace(name);
    if (fresh) {
      order_.push_back(name);
      it->second.type = type;
      it->second.help = help;
    }
    std::string s = name;
    if (!labels.empty()) {
      s += "{";
      for (size_t k = 0; k < labels.size(); ++k) {
        if (k) s += ",";
        s += labels[k].first + "=\"" + escape_label(labels[k].second) + "\"";
      }
      s += "}";
    }
    it->second.samples.push_back(s + " " + v);
  }
  std::string text() const {
    std::string out;
    for (const auto& n : order_) {
      const Family& f = families_.at(n);
      out += "# HELP " + n + " " + escape_help(f.help) + "\n";
      out += "# TYPE " + n + " " + f.type + "\n";
      for (const auto& s : f.samples) out += s + "\n";
    }
    return out;
  }

 private:
  std::map<std::string, Family> families_;
  std::vector<std::string> order_;
};

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats p;
  std::ifstream stat("/proc/self/stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');  // the command may hold spaces: fields start after ')'
  if (close != std::string::npos) {
    std::istringstream in(line.substr(close + 2));
    std::vector<std::string> f;
    std::string w;
    while (in >> w) f.push_back(w);
    // f[0] is field 3 (state): utime = field 14, stime = 15, starttime = 22, vsize = 23,
    // rss = 24 (pages).
    if (f.size() > 21) {
      const double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
      p.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / tick;
      p.vsz_bytes = std::stoull(f[20]);
      p.rss_bytes = std::stoull(f[21]) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
      std::ifstream up("/proc/uptime");
      double uptime = 0;
      up >> uptime;
      const double started_ago = uptime - std::stod(f[19]) / tick;
      p.start_time_seconds = static_cast<uint64_t>(time(nullptr) - started_ago);
    }
  }
  return p;
}

std::string prometheus_text(const json& state, const ProcessStats& p) {
  Exposition e;
  e.add("saker_info", "gauge", "saker's version (label), always 1",
        {{"version", state.value("saker_version", "")},
         {"plugin_api_version", state.value("plugin_api_version", "")},
         {"hostname", state.value("hostname", "")}},
        "1");
  for (const auto& m : state.value("metrics", json::array())) {
    std::string name;
    std::vector<std::pair<std::string, std::string>> labels;
    split(m.value("name", ""), &name, &labels);
    const bool counter = m.value("kind", "") == "counter";
    std::string full = "saker_" + sanitize_name(name);
    if (counter && (full.size() < 6 || full.compare(full.size() - 6, 6, "_total") != 0)) {
      full += "_total";
    }
    e.add(full, counter ? "counter" : "gauge", m.value("help", ""), labels,
          std::to_string(m.value("value", uint64_t{0})));
  }
  for (const auto& s : state.value("sources", json::array())) {
    const std::string name = s.value("name", "");
    e.add("saker_source_running", "gauge", "1 while the source's event loop runs",
          {{"source", name}}, s.value("state", "") == "running" ? "1" : "0");
    e.add("saker_source_ms_since_progress", "gauge",
          "Milliseconds since the source's loop last came back from the source plugin",
          {{"source", name}}, std::to_string(s.value("ms_since_progress", int64_t{0})));
  }
  for (const auto& o : state.value("outputs", json::array())) {
    e.add("saker_output_busy_ms", "gauge",
          "Milliseconds the output plugin has spent on its current delivery (0: idle)",
          {{"output", o.value("name", "")}}, std::to_string(o.value("busy_ms", uint64_t{0})));
  }
  char cpu[64];
  snprintf(cpu, sizeof(cpu), "%.2f", p.cpu_seconds);
  e.add("saker_process_cpu_seconds_total", "counter", "User and system CPU time of saker", {}, cpu);
  e.add("saker_process_resident_memory_bytes", "gauge", "Resident memory of saker", {},
        std::to_string(p.rss_bytes));
  e.add("saker_process_virtual_memory_bytes", "gauge", "Virtual memory of saker", {},
        std::to_string(p.vsz_bytes));
  e.add("saker_process_start_time_seconds", "gauge", "When saker started, seconds since the epoch",
        {}, std::to_string(p.start_time_seconds));
  return e.text();
}

}  // namespace saker::web
