// AWS pieces without a server: SigV4 against AWS's published example, the credential
// chain (environment, shared files, profiles), S3 notification formats, and the object
// reader's incremental gzip (fed in any split, as a resumed download would be).
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "aws/credentials.h"
#include "aws/sigv4.h"
#include "object_reader.h"
#include "sqs_client.h"

using namespace saker::cloudtrail;

namespace {
std::string header(const aws::Params& h, const std::string& name) {
  for (const auto& [k, v] : h)
    if (k == name) return v;
  return "";
}

std::string gzip(const std::string& data) {
  z_stream zs{};
  deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, data.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

struct EnvGuard {
  explicit EnvGuard(std::vector<std::pair<const char*, const char*>> vars) {
    for (auto [k, v] : vars) {
      const char* old = getenv(k);
      saved.emplace_back(k, old ? std::optional<std::string>(old) : std::nullopt);
      if (v)
        setenv(k, v, 1);
      else
        unsetenv(k);
    }
  }
  ~EnvGuard() {
    for (auto& [k, v] : saved) {
      if (v)
        setenv(k, v->c_str(), 1);
      else
        unsetenv(k);
    }
  }
  std::vector<std::pair<const char*, std::optional<std::string>>> saved;
};
}  // namespace

TEST_CASE("SigV4: AWS's GET Object example signs to the published signature") {
  aws::SignRequest r;
  r.method = "GET";
  r.host = "examplebucket.s3.amazonaws.com";
  r.path = "/test.txt";
  r.headers = {{"Range", "bytes=0-9"}};
  r.region = "us-east-1";
  r.service = "s3";
  r.amz_date = "20130524T000000Z";
  aws::Credentials c{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  auto h = aws::sign(r, c);
  CHECK(header(h, "Authorization") ==
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  CHECK(header(h, "x-amz-content-sha256") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  c.session_token = "TOKEN";
  auto h2 = aws::sign(r, c);
  CHECK(header(h2, "x-amz-security-token") == "TOKEN");
  CHECK(header(h2, "Authorization").find("x-amz-security-token") != std::string::npos);
}

TEST_CASE("SigV4 encoding: query sorted and encoded, paths keep their slashes") {
  CHECK(aws::uri_encode("AWSLogs/1/a b+c=d~_.-", true) == "AWSLogs/1/a%20b%2Bc%3Dd~_.-");
  CHECK(aws::uri_encode("a/b", false) == "a%2Fb");
  CHECK(aws::canonical_query({{"prefix", "AWSLogs/"}, {"list-type", "2"}, {"a", ""}}) ==
        "a=&list-type=2&prefix=AWSLogs%2F");
}

TEST_CASE("credentials: environment first, then the shared files and their profiles") {
  auto dir = std::filesystem::temp_directory_path() / ("ct-aws-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "credentials") << "[default]\naws_access_key_id = AKDEF\n"
                                        "aws_secret_access_key=SDEF\n\n[ops]\n"
                                        "aws_access_key_id=AKOPS\naws_secret_access_key = SOPS\n"
                                        "aws_session_token=TOPS\n";
  std::ofstream(dir / "config")
      << "[default]\nregion = eu-west-1\n[profile ops]\nregion=ap-south-1\n";
  const std::string cred = (dir / "credentials").string(), conf = (dir / "config").string();
  {
    EnvGuard env({{"AWS_ACCESS_KEY_ID", "AKENV"},
                  {"AWS_SECRET_ACCESS_KEY", "SENV"},
                  {"AWS_SESSION_TOKEN", nullptr},
                  {"AWS_REGION", "us-west-2"},
                  {"AWS_SHARED_CREDENTIALS_FILE", cred.c_str()},
                  {"AWS_CONFIG_FILE", conf.c_str()},
                  {"AWS_PROFILE", nullptr},
                  {"AWS_DEFAULT_REGION", nullptr}});
    auto r = aws::resolve("", "");
    CHECK(r.creds.access_key_id == "AKENV");
    CHECK(r.region == "us-west-2");
    CHECK(r.source == "environment");
  }
  {
    EnvGuard env({{"AWS_ACCESS_KEY_ID", nullptr},
                  {"AWS_SECRET_ACCESS_KEY", nullptr},
                  {"AWS_REGION", nullptr},
                  {"AWS_DEFAULT_REGION", nullptr},
                  {"AWS_SHARED_CREDENTIALS_FILE", cred.c_str()},
                  {"AWS_CONFIG_FILE", conf.c_str()},
                  {"AWS_PROFILE", nullptr}});
    auto r = aws::resolve("", "");
    CHECK(r.creds.access_key_id == "AKDEF");
    CHECK(r.creds.secret_access_key == "SDEF");
    CHECK(r.region == "eu-west-1");
    auto ops = aws::resolve("ops", "");
    CHECK(ops.creds.access_key_id == "AKOPS");
    CHECK(ops.creds.session_token == "TOPS");
    CHECK(ops.region == "ap-south-1");
    CHECK(aws::resolve("ops", "me-central-1").region == "me-central-1");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("S3 notifications: direct, inside SNS, CloudTrail's own, EventBridge, test events") {
  auto refs = objects_in_message(
      R"({"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"logs"},"object":{"key":"AWSLogs/1/a+b%3D.json.gz","size":3}}}]})");
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].bucket == "logs");
  CHECK(refs[0].key == "AWSLogs/1/a b=.json.gz");
  nlohmann::json inner = {
      {"Records", {{{"s3", {{"bucket", {{"name", "b"}}}, {"object", {{"key", "k1"}}}}}}}}};
  refs = objects_in_message(
      nlohmann::json({{"Type", "Notification"}, {"Message", inner.dump()}}).dump());
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].key == "k1");
  refs = objects_in_message(R"({"s3Bucket":"ct","s3ObjectKey":["x/1.json.gz","x/2.json.gz"]})");
  CHECK(refs.size() == 2);
  refs = objects_in_message(
      R"({"detail-type":"Object Created","detail":{"bucket":{"name":"b"},"object":{"key":"k"}}})");
  CHECK(refs.size() == 1);
  CHECK(objects_in_message(R"({"Service":"Amazon S3","Event":"s3:TestEvent"})").empty());
  CHECK(objects_in_message("not json").empty());
}

TEST_CASE("object reader: gzip or plain, fed in any split, truncation reported") {
  std::string doc = "{\"Records\":[";
  for (int i = 0; i < 500; ++i)
    doc += (i ? "," : "") + std::string(R"({"eventName":"E)") + std::to_string(i) + "\"}";
  doc += "]}";
  for (const std::string& stored : {doc, gzip(doc)}) {
    for (size_t split : {1u, 7u, 100u, 100000u}) {
      std::vector<std::string> got;
      int problems = 0;
      ObjectReader r(
          {}, [&](std::string_view rec, uint64_t) { got.emplace_back(rec); },
          [&](Problem, uint64_t, std::string_view) { ++problems; });
      for (size_t i = 0; i < stored.size(); i += split) {
        CHECK(r.feed(stored.data() + i, std::min(split, stored.size() - i)));
      }
      r.finish();
      CHECK(got.size() == 500);
      CHECK(problems == 0);
      CHECK(r.consumed() == stored.size());
    }
  }
  const std::string gz = gzip(doc);
  std::vector<std::string> got;
  std::vector<Problem> problems;
  ObjectReader cut(
      {}, [&](std::string_view rec, uint64_t) { got.emplace_back(rec); },
      [&](Problem p, uint64_t, std::string_view) { problems.push_back(p); });
  cut.feed(gz.data(), gz.size() / 2);
  cut.finish();
  CHECK(got.size() < 500);
  CHECK(std::count(problems.begin(), problems.end(), Problem::kTruncated) >= 1);
}
