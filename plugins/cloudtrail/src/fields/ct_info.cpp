// ct.info: one line an operator can read at a glance (what `evt.plugininfo` and
// `ct.info` show): "<user> via <source ip> [!]<arrow> <event name>" where "!" marks a
// failed call and the arrow tells a write (→) from a read (←), followed by the object
// of S3 calls or the public access block settings. Same layout as upstream's, so
// dashboards built on it keep working.
#include "field_table.h"

namespace saker::cloudtrail {

std::string info_of(const RecordIndex& rec) {
  auto user = user_of(rec);
  if (!user) return "<invalid cloudtrail event: userIdentity field missing>";
  auto srcip = jv::text(rec.top("sourceIPAddress"));
  if (!srcip) return "<invalid cloudtrail event: sourceIPAddress field missing>";
  auto name = jv::text(rec.top("eventName"));
  if (!name) return "<invalid cloudtrail event: eventName field missing>";
  std::string out = *user;
  if (*user != *srcip) out += " via " + *srcip;
  out += ' ';
  if (rec.top("errorCode")) out += '!';
  auto ro = readonly_of(rec);
  out += (ro && !*ro) ? "→" : "←";
  out += ' ' + *name;
  if (*name == "PutBucketPublicAccessBlock") {
    auto cfg = rec.at("requestParameters", {"PublicAccessBlockConfiguration"});
    if (cfg) {
      for (auto k :
           {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
        auto b = jv::boolean(jv::member(*cfg, k));
        out += std::string(" ") + k + "=" + (b && *b ? "true" : "false");
      }
    }
    return out;
  }
  if (auto bytes = s3_bytes_of(rec)) out += " Size=" + std::to_string(*bytes);
  if (auto uri = s3_uri_of(rec)) return out + " URI=" + *uri;
  if (auto b = jv::text(rec.at("requestParameters", {"bucketName"}))) return out + " Bucket=" + *b;
  if (auto k = jv::text(rec.at("requestParameters", {"key"}))) return out + " Key=" + *k;
  if (auto h = jv::text(rec.at("requestParameters", {"Host"}))) return out + " Host=" + *h;
  return out;
}

}  // namespace saker::cloudtrail
