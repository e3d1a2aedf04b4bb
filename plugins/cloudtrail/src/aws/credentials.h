// Where the S3 and SQS readers get their credentials and region, in the order the AWS
// SDKs use: the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_REGION / AWS_DEFAULT_REGION), then the shared files (AWS_SHARED_CREDENTIALS_FILE or
// ~/.aws/credentials, AWS_CONFIG_FILE or ~/.aws/config) for the profile AWS_PROFILE (or
// "default"). Cold path: read once at open.
#pragma once

#include <map>
#include <string>

#include "sigv4.h"

namespace saker::cloudtrail::aws {

// One INI file: section -> key -> value (keys lower-cased, values trimmed).
using Ini = std::map<std::string, std::map<std::string, std::string>>;
Ini parse_ini(const std::string& text);

struct Resolved {
  Credentials creds;
  std::string region;
  std::string source;  // where the credentials came from (for logs; never the secret)
};

// `profile` / `region`: from init_config when set (they win over the environment).
Resolved resolve(const std::string& profile, const std::string& region);

}  // namespace saker::cloudtrail::aws
