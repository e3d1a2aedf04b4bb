// Service-specific fields: s3.* (object access and transfer sizes), ec2.*, ecr.*, iam.*.
// See field_table.h.
#include "field_table.h"

namespace saker::cloudtrail {
namespace {

std::optional<uint64_t> transferred(const RecordIndex& rec, std::string_view key) {
  return jv::unsigned_number(rec.at("additionalEventData", {key}));
}

void set_u64(sdk::ExtractRequest& r, std::optional<uint64_t> v) {
  if (v) r.set(*v);
}

// 1 when the call is `name`, else 0 (always a value: counters add up over records).
ExtractFn count_of(std::string_view name) {
  std::string n(name);
  return [n](const FieldCtx& c, sdk::ExtractRequest& r) {
    r.set(uint64_t{c.rec.top_equals("eventName", n) ? 1u : 0u});
  };
}

// ec2.name: the Name tag the instances were launched with.
void ec2_name(const FieldCtx& c, sdk::ExtractRequest& r) {
  auto items = c.rec.at("requestParameters", {"tagSpecificationSet", "items"});
  if (!items) return;
  std::optional<std::string> name;
  jv::for_each(*items, [&](jv::View item) {
    auto type = jv::member(item, "resourceType");
    if (!type || !jv::string_equals(*type, "instance")) return true;
    auto tags = jv::member(item, "tags");
    if (tags) {
      jv::for_each(*tags, [&](jv::View tag) {
        auto key = jv::member(tag, "key");
        if (key && jv::string_equals(*key, "Name")) name = jv::text(jv::member(tag, "value"));
        return !name;
      });
    }
    return !name;
  });
  if (name && !name->empty()) r.set(*name);
}

// ec2.imageid: the image the instances run, from the response (RunInstances), else
// from the request.
void ec2_imageid(const FieldCtx& c, sdk::ExtractRequest& r) {
  for (auto where : {"responseElements", "requestParameters"}) {
    auto items = c.rec.at(where, {"instancesSet", "items"});
    if (!items) continue;
    auto first = jv::element(*items, 0);
    if (!first) continue;
    auto id = jv::member(*first, "imageId");
    if (id && jv::is_string(*id)) return set_text(r, id);
  }
  // Where the upstream plugin looks (tag specifications of the response).
  auto items = c.rec.at("responseElements", {"tagSpecificationSet", "items"});
  if (!items) return;
  auto first = jv::element(*items, 0);
  if (first) set_text(r, jv::member(*first, "imageId"));
}

}  // namespace

std::optional<uint64_t> s3_bytes_of(const RecordIndex& rec) {
  auto in = transferred(rec, "bytesTransferredIn");
  auto out = transferred(rec, "bytesTransferredOut");
  if (!in && !out) return std::nullopt;
  return in.value_or(0) + out.value_or(0);
}

std::optional<std::string> s3_uri_of(const RecordIndex& rec) {
  auto bucket = rec.at("requestParameters", {"bucketName"});
  auto key = rec.at("requestParameters", {"key"});
  if (!bucket || !key || !jv::is_string(*bucket) || !jv::is_string(*key)) return std::nullopt;
  return "s3://" + jv::decode(*bucket) + "/" + jv::decode(*key);
}

std::vector<FieldEntry> service_fields() {
  return {
      str_field("s3.uri", "Key URI", "The object's URI (s3://<bucket>/<key>)",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  if (auto u = s3_uri_of(c.rec)) r.set(*u);
                }),
      member_field("s3.bucket", "Bucket Name",
                   "The bucket of an S3 call (requestParameters.bucketName)", "requestParameters",
                   {"bucketName"}),
      member_field("s3.key", "Key Name", "The object key of an S3 call (requestParameters.key)",
                   "requestParameters", {"key"}),
      u64_field("s3.bytes", "Total Bytes", "Bytes uploaded plus downloaded by an S3 call",
                [](const FieldCtx& c, sdk::ExtractRequest& r) { set_u64(r, s3_bytes_of(c.rec)); }),
      u64_field("s3.bytes.in", "Bytes In", "Bytes uploaded by an S3 call",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  set_u64(r, transferred(c.rec, "bytesTransferredIn"));
                }),
      u64_field("s3.bytes.out", "Bytes Out", "Bytes downloaded by an S3 call",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  set_u64(r, transferred(c.rec, "bytesTransferredOut"));
                }),
      u64_field("s3.cnt.get", "N Get Ops", "1 for a GetObject call, 0 otherwise",
                count_of("GetObject")),
      u64_field("s3.cnt.put", "N Put Ops", "1 for a PutObject call, 0 otherwise",
                count_of("PutObject")),
      u64_field("s3.cnt.other", "N Other Ops", "0 for GetObject and PutObject calls, 1 otherwise",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  const bool io = c.rec.top_equals("eventName", "GetObject") ||
                                  c.rec.top_equals("eventName", "PutObject");
                  r.set(uint64_t{io ? 0u : 1u});
                }),
      str_field("ec2.name", "Instance Name", "The Name tag given to the instances in the request",
                ec2_name),
      str_field("ec2.imageid", "Image Id", "The image (AMI) the instances run", ec2_imageid),
      member_field("ecr.repository", "ECR Repository name", "requestParameters.repositoryName",
                   "requestParameters", {"repositoryName"}),
      member_field("ecr.imagetag", "Image Tag", "requestParameters.imageTag", "requestParameters",
                   {"imageTag"}),
      member_field("iam.role", "IAM Role", "requestParameters.roleName", "requestParameters",
                   {"roleName"}),
      member_field("iam.policy", "IAM Policy", "requestParameters.policyName", "requestParameters",
                   {"policyName"}),
  };
}

}  // namespace saker::cloudtrail
