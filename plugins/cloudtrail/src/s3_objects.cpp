// S3 listing and reading; see s3_objects.h.
#include "s3_objects.h"

#include <saker/sdk/types.h>

#include "object_reader.h"

namespace saker::cloudtrail {
namespace {

// The text of every <tag>...</tag> directly in `xml` (no nesting of the same tag in the
// S3 answers read here), XML entities decoded.
std::string xml_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out += '&';
    else if (ent == "lt")
      out += '<';
    else if (ent == "gt")
      out += '>';
    else if (ent == "quot")
      out += '"';
    else if (ent == "apos")
      out += '\'';
    else if (!ent.empty() && ent[0] == '#') {
      const long cp = ent.size() > 1 && (ent[1] == 'x' || ent[1] == 'X')
                          ? std::strtol(std::string(ent.substr(2)).c_str(), nullptr, 16)
                          : std::strtol(std::string(ent.substr(1)).c_str(), nullptr, 10);
      if (cp > 0 && cp < 0x80) out += static_cast<char>(cp);
    } else {
      out.append(s.substr(i, semi - i + 1));
      i = semi;
      continue;
    }
    i = semi;
  }
  return out;
}

std::vector<std::string_view> tags(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> out;
  const std::string open = "<" + std::string(tag) + ">", close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  for (;;) {
    const size_t a = xml.find(open, pos);
    if (a == std::string_view::npos) break;
    const size_t b = xml.find(close, a + open.size());
    if (b == std::string_view::npos) break;
    out.push_back(xml.substr(a + open.size(), b - a - open.size()));
    pos = b + close.size();
  }
  return out;
}

std::string first(std::string_view xml, std::string_view tag) {
  auto t = tags(xml, tag);
  return t.empty() ? std::string() : xml_decode(t[0]);
}

}  // namespace

S3Objects::S3Objects(S3Settings settings, Stats* stats, const std::atomic<bool>* stop)
    : s_(std::move(settings)), virtual_hosted_(s_.endpoint.empty()), stats_(stats), stop_(stop) {}

aws::HttpClient S3Objects::client_for(const std::string& bucket) const {
  aws::Endpoint ep;
  if (virtual_hosted_) {
    ep = aws::Endpoint::parse("https://" + bucket + ".s3." + s_.region + ".amazonaws.com");
  } else {
    ep = aws::Endpoint::parse(s_.endpoint);
  }
  return aws::HttpClient(ep, s_.region, "s3", s_.creds, s_.retry, stop_);
}

std::string S3Objects::path_for(const std::string& bucket, const std::string& key) const {
  return virtual_hosted_ ? "/" + key : "/" + bucket + "/" + key;
}

std::vector<S3Object> S3Objects::list(const std::string& bucket, const std::string& prefix,
                                      const std::string& start_after) {
  auto client = client_for(bucket);
  std::vector<S3Object> out;
  std::string token;
  for (;;) {
    aws::Params q = {
        {"list-type", "2"}, {"prefix", prefix}, {"max-keys", std::to_string(s_.page_size)}};
    if (!token.empty()) {
      q.emplace_back("continuation-token", token);
    } else if (!start_after.empty()) {
      q.emplace_back("start-after", start_after);
    }
    auto res = client.call("GET", virtual_hosted_ ? "/" : "/" + bucket, q, {}, "",
                           [&](int attempt, const std::string& why, int delay) {
                             stats_->add(Counter::kHttpRetries);
                             stats_->warn("s3://" + bucket + "/" + prefix + ": listing: " + why +
                                          ", retry " + std::to_string(attempt) + " in " +
                                          std::to_string(delay) + " ms");
                           });
    if (!res.ok()) {
      throw sdk::PluginError("s3://" + bucket + "/" + prefix +
                             ": cannot list objects: " + res.describe());
    }
    for (auto c : tags(res.body, "Contents")) {
      S3Object o{first(c, "Key"), 0};
      try {
        o.size = std::stoull(first(c, "Size"));
      } catch (...) {
      }
      out.push_back(std::move(o));
    }
    if (first(res.body, "IsTruncated") != "true") break;
    token = first(res.body, "NextContinuationToken");
    if (token.empty()) break;
  }
  stats_->add(Counter::kObjectsListed, out.size());
  return out;
}

bool S3Objects::read(const std::string& bucket, const std::string& key, const RecordFn& record) {
  auto client = client_for(bucket);
  const std::string where = "s3://" + bucket + "/" + key;
  uint64_t delivered = 0;  // records handed out from this object, over every attempt
  auto make_reader = [&](uint64_t skip) {
    auto seen = std::make_shared<uint64_t>(0);
    return std::make_unique<ObjectReader>(
        s_.limits,
        [&, seen, skip](std::string_view r, uint64_t) {
          if ((*seen)++ < skip) return;  // already handed out before a restart
          ++delivered;
          record(r);
        },
        [&](Problem p, uint64_t off, std::string_view what) {
          stats_->add(problem_counter(p));
          stats_->warn(where + ": byte " + std::to_string(off) + ": " + problem_name(p) + ": " +
                       std::string(what));
        });
  };
  auto reader = make_reader(0);
  for (int attempt = 1;; ++attempt) {
    aws::Params headers;
    const uint64_t from = reader->consumed();
    if (from > 0) headers.emplace_back("Range", "bytes=" + std::to_string(from) + "-");
    bool restarted = false;
    auto res = client.send("GET", path_for(bucket, key), {}, headers, "",
                           [&](int status, const char* d, size_t n) {
                             if (status == 200 && from > 0 && !restarted) {
                               // The server ignored the range: read the object again from
                               // its start, skipping the records already handed out.
                               reader = make_reader(delivered);
                               restarted = true;
                             }
                             return reader->feed(d, n);
                           });
    if (restarted) stats_->warn(where + ": the server ignored the byte range; read again");
    // 416: the connection broke after the last byte; the object is complete.
    if (res.ok() || (res.status == 416 && from > 0)) {
      reader->finish();
      stats_->add(Counter::kFilesRead);
      return true;
    }
    const bool transient = res.transient() || (res.status >= 200 && res.status < 300);
    if (!transient || attempt >= s_.retry.max_attempts) {
      stats_->add(Counter::kObjectsFailed);
      stats_->warn(where + ": given up after " + std::to_string(attempt) +
                   " attempts: " + res.describe());
      return false;
    }
    int delay = 0;
    if (!client.backoff(attempt, &delay)) return false;
    stats_->add(Counter::kHttpRetries);
    stats_->warn(where + ": " + res.describe() + " after " + std::to_string(reader->consumed()) +
                 " bytes; retry " + std::to_string(attempt) + " after " + std::to_string(delay) +
                 " ms, from byte " + std::to_string(reader->consumed()));
  }
}

aws::HttpResult S3Objects::put(const std::string& bucket, const std::string& key,
                               const std::string& body) {
  auto client = client_for(bucket);
  return client.call("PUT", path_for(bucket, key), {}, {}, body);
}

}  // namespace saker::cloudtrail
