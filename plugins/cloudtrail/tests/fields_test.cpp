// Field values on hand-written records: every field, escapes, arguments, absent values,
// and events that are not JSON at all.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "extractor.h"

using namespace saker;
using namespace saker::cloudtrail;

namespace {

class Fields {
 public:
  Fields() {
    auto infos = ex_.infos();
    for (uint32_t i = 0; i < infos.size(); ++i) {
      ids_[infos[i].name] = i;
      types_[infos[i].name] = infos[i].type;
    }
  }
  // The value of `field` (with `arg`) on `record`, as text; "<NA>" when absent.
  std::string get(const std::string& record, const std::string& field, const char* arg = nullptr) {
    REQUIRE_MESSAGE(ids_.count(field), field);
    saker_event e{
        sizeof(saker_event), 0, 0, 0, ++num_, reinterpret_cast<const uint8_t*>(record.data()),
        record.size()};
    sdk::Event evt(&e);
    saker_extract_request raw{};
    raw.size = sizeof(raw);
    raw.field_id = ids_[field];
    raw.has_arg = arg != nullptr;
    raw.arg_key = arg;
    sdk::ExtractArena arena;
    arena.reset();
    sdk::ExtractRequest req(&raw, &arena);
    ex_.extract(evt, req);
    arena.seal();
    req.publish();
    if (raw.num_values == 0) return "<NA>";
    if (types_[field] == sdk::FieldType::kU64) return std::to_string(raw.values.u64[0]);
    return raw.values.str[0];
  }
  FieldExtractor& extractor() { return ex_; }

 private:
  FieldExtractor ex_;
  std::map<std::string, uint32_t> ids_;
  std::map<std::string, sdk::FieldType> types_;
  uint64_t num_ = 0;
};

const std::string kGetObject =
    R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser",)"
    R"("principalId":"AIDA1","arn":"arn:aws:iam::123:user/al\"ice","accountId":"123",)"
    R"("userName":"al\"ice"},"eventTime":"2024-07-31T13:06:24Z","eventSource":"s3.amazonaws.com",)"
    R"("eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1",)"
    R"("userAgent":"aws-cli","requestParameters":{"bucketName":"logs","key":"a/b.txt",)"
    R"("Host":"logs.s3.amazonaws.com"},"responseElements":null,)"
    R"("additionalEventData":{"bytesTransferredIn":0,"bytesTransferredOut":33.0},)"
    R"("requestID":"R1","eventID":"E1","readOnly":true,"resources":[{"type":"AWS::S3::Object",)"
    R"("ARN":"arn:aws:s3:::logs/a/b.txt"},{"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::logs"}],)"
    R"("eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"123",)"
    R"("eventCategory":"Data","tlsDetails":{"tlsVersion":"TLSv1.3"}})";

}  // namespace

TEST_CASE("ct.* fields of a data event") {
  Fields f;
  const auto& r = kGetObject;
  CHECK(f.get(r, "ct.id") == "E1");
  CHECK(f.get(r, "ct.error") == "<NA>");
  CHECK(f.get(r, "ct.errormessage") == "<NA>");
  CHECK(f.get(r, "ct.time") == "2024-07-31T13:06:24Z");
  CHECK(f.get(r, "ct.src") == "s3.amazonaws.com");
  CHECK(f.get(r, "ct.shortsrc") == "s3");
  CHECK(f.get(r, "ct.name") == "GetObject");
  CHECK(f.get(r, "ct.user") == "al\"ice");
  CHECK(f.get(r, "ct.user.accountid") == "123");
  CHECK(f.get(r, "ct.user.identitytype") == "IAMUser");
  CHECK(f.get(r, "ct.user.principalid") == "AIDA1");
  CHECK(f.get(r, "ct.user.arn") == "arn:aws:iam::123:user/al\"ice");
  CHECK(f.get(r, "ct.region") == "us-east-1");
  CHECK(f.get(r, "ct.srcip") == "10.0.0.1");
  CHECK(f.get(r, "ct.useragent") == "aws-cli");
  CHECK(f.get(r, "ct.readonly") == "true");
  CHECK(f.get(r, "ct.managementevent") == "false");
  CHECK(f.get(r, "ct.requestid") == "R1");
  CHECK(f.get(r, "ct.eventtype") == "AwsApiCall");
  CHECK(f.get(r, "ct.eventcategory") == "Data");
  CHECK(f.get(r, "ct.recipientaccountid") == "123");
  CHECK(f.get(r, "ct.tlsdetails.tlsversion") == "TLSv1.3");
  CHECK(f.get(r, "ct.request.host") == "logs.s3.amazonaws.com");
  CHECK(f.get(r, "ct.request") ==
        R"({"bucketName":"logs","key":"a/b.txt","Host":"logs.s3.amazonaws.com"})");
  CHECK(f.get(r, "ct.request", "key") == "a/b.txt");
  CHECK(f.get(r, "ct.request", "/bucketName") == "logs");
  CHECK(f.get(r, "ct.request", "nothing") == "<NA>");
  CHECK(f.get(r, "ct.response") == "<NA>");  // null
  CHECK(f.get(r, "ct.additionaleventdata", "bytesTransferredOut") == "33.0");
  CHECK(f.get(r, "ct.resources") ==
        R"({"type":"AWS::S3::Object","ARN":"arn:aws:s3:::logs/a/b.txt"},)"
        R"({"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::logs"})");
  CHECK(f.get(r, "ct.info") == "al\"ice via 10.0.0.1 ← GetObject Size=33 URI=s3://logs/a/b.txt");
}

TEST_CASE("s3.* fields") {
  Fields f;
  const auto& r = kGetObject;
  CHECK(f.get(r, "s3.uri") == "s3://logs/a/b.txt");
  CHECK(f.get(r, "s3.bucket") == "logs");
  CHECK(f.get(r, "s3.key") == "a/b.txt");
  CHECK(f.get(r, "s3.bytes") == "33");
  CHECK(f.get(r, "s3.bytes.in") == "0");
  CHECK(f.get(r, "s3.bytes.out") == "33");
  CHECK(f.get(r, "s3.cnt.get") == "1");
  CHECK(f.get(r, "s3.cnt.put") == "0");
  CHECK(f.get(r, "s3.cnt.other") == "0");
  const std::string list = R"({"eventName":"ListBuckets"})";
  CHECK(f.get(list, "s3.cnt.other") == "1");
  CHECK(f.get(list, "s3.bytes") == "<NA>");
  CHECK(f.get(list, "s3.uri") == "<NA>");
}

TEST_CASE("ct.user for each identity type") {
  Fields f;
  auto rec = [](const std::string& id) { return R"({"userIdentity":)" + id + "}"; };
  CHECK(f.get(rec(R"({"type":"Root","userName":"root"})"), "ct.user") == "root");
  CHECK(f.get(rec(R"({"type":"AWSService","invokedBy":"ec2.amazonaws.com"})"), "ct.user") ==
        "ec2.amazonaws.com");
  CHECK(f.get(rec(R"({"type":"AssumedRole","sessionContext":{"sessionIssuer":{"userName":"r"}}})"),
              "ct.user") == "r");
  CHECK(f.get(rec(R"({"type":"AssumedRole"})"), "ct.user") == "AssumedRole");
  CHECK(f.get(rec(R"({"type":"FederatedUser"})"), "ct.user") == "FederatedUser");
  CHECK(f.get(rec(R"({"type":"Unknown"})"), "ct.user") == "<NA>");
  CHECK(f.get(rec(R"({"type":"Root","accountId":"9"})"), "ct.user.accountid") == "9");
  CHECK(f.get(R"({"recipientAccountId":"8"})", "ct.user.accountid") == "8");
}

TEST_CASE("ct.readonly without readOnly: guessed from the verb") {
  Fields f;
  CHECK(f.get(R"({"eventName":"DeleteTrail"})", "ct.readonly") == "false");
  CHECK(f.get(R"({"eventName":"DescribeTrails"})", "ct.readonly") == "true");
  CHECK(f.get(R"({"eventName":"StopLogging","readOnly":false})", "ct.readonly") == "false");
  CHECK(f.get(R"({"eventName":"X","errorCode":"AccessDenied","userIdentity":{"type":"Root",)"
              R"("userName":"root"},"sourceIPAddress":"1.2.3.4","readOnly":false})",
              "ct.info") == "root via 1.2.3.4 !→ X");
}

TEST_CASE("ec2.* fields of RunInstances") {
  Fields f;
  const std::string r =
      R"({"eventName":"RunInstances","requestParameters":{"instancesSet":{"items":[{"imageId":"ami-1"}]},)"
      R"("tagSpecificationSet":{"items":[{"resourceType":"volume","tags":[{"key":"Name","value":"v"}]},)"
      R"({"resourceType":"instance","tags":[{"key":"env","value":"p"},{"key":"Name","value":"web"}]}]}},)"
      R"("responseElements":{"instancesSet":{"items":[{"imageId":"ami-2"}]}}})";
  CHECK(f.get(r, "ec2.name") == "web");
  CHECK(f.get(r, "ec2.imageid") == "ami-2");
}

TEST_CASE("json.value, json.obj, escaped keys, and events that are not JSON objects") {
  Fields f;
  const std::string r =
      R"({"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"No"},)"
      R"("requestParameters":{"PublicAccessBlockConfiguration":{"BlockPublicAcls":false},"a/b":{"c~d":1}},)"
      R"("e\u0076entName":"ConsoleLogin"})";
  CHECK(f.get(r, "json.value", "/responseElements/ConsoleLogin") == "Success");
  CHECK(f.get(r, "jevt.value", "/additionalEventData/MFAUsed") == "No");
  CHECK(f.get(r, "json.value",
              "/requestParameters/PublicAccessBlockConfiguration/BlockPublicAcls") == "false");
  CHECK(f.get(r, "json.value", "/requestParameters/a~1b/c~0d") == "1");
  CHECK(f.get(r, "json.value", "/nothing") == "<NA>");
  CHECK(f.get(r, "ct.name") == "ConsoleLogin");  // a key written with an escape
  CHECK(f.get(r, "json.obj") == r);
  for (const std::string bad : {"", "x", "[1,2]", "{\"a\":", "{\"eventName\":\"A\"", "\"s\""}) {
    CHECK(f.get(bad, "ct.name") == "<NA>");
    CHECK(f.get(bad, "ct.info") == "<NA>");
  }
  CHECK(f.extractor().bad_events() >= 4);
}
