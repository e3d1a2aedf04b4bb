// Credentials and region; see credentials.h.
#include "credentials.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace saker::cloudtrail::aws {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

Ini read_ini(const std::string& path) {
  std::ifstream in(path);
  if (!in) return {};
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_ini(ss.str());
}

std::string home_file(const char* env_name, const char* rel) {
  std::string p = env(env_name);
  if (!p.empty()) return p;
  std::string home = env("HOME");
  return home.empty() ? "" : home + "/" + rel;
}

}  // namespace

Ini parse_ini(const std::string& text) {
  Ini out;
  std::string section;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = trim(line.substr(1, line.size() - 2));
      continue;
    }
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = trim(line.substr(0, eq));
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out[section][key] = trim(line.substr(eq + 1));
  }
  return out;
}

Resolved resolve(const std::string& profile_in, const std::string& region_in) {
  Resolved r;
  const std::string profile = !profile_in.empty()
                                  ? profile_in
                                  : (env("AWS_PROFILE").empty() ? "default" : env("AWS_PROFILE"));
  if (!env("AWS_ACCESS_KEY_ID").empty() && profile_in.empty()) {
    r.creds = {env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"), env("AWS_SESSION_TOKEN")};
    r.source = "environment";
  } else {
    const std::string path = home_file("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials");
    Ini ini = read_ini(path);
    auto it = ini.find(profile);
    if (it != ini.end()) {
      r.creds = {it->second["aws_access_key_id"], it->second["aws_secret_access_key"],
                 it->second["aws_session_token"]};
      r.source = path + " [" + profile + "]";
    }
  }
  Ini config = read_ini(home_file("AWS_CONFIG_FILE", ".aws/config"));
  const std::string section = profile == "default" ? "default" : "profile " + profile;
  if (r.creds.empty()) {  // the config file may hold keys too
    auto it = config.find(section);
    if (it != config.end() && !it->second["aws_access_key_id"].empty()) {
      r.creds = {it->second["aws_access_key_id"], it->second["aws_secret_access_key"],
                 it->second["aws_session_token"]};
      r.source = "config file [" + section + "]";
    }
  }
  r.region = region_in;
  if (r.region.empty()) r.region = env("AWS_REGION");
  if (r.region.empty()) r.region = env("AWS_DEFAULT_REGION");
  if (r.region.empty()) {
    auto it = config.find(section);
    if (it != config.end()) r.region = it->second["region"];
  }
  if (r.region.empty()) r.region = "us-east-1";
  return r;
}

}  // namespace saker::cloudtrail::aws
