// ct.* fields: the CloudTrail record itself, who made the call and from where. See
// field_table.h; the record format is AWS's "CloudTrail record contents".
#include "field_table.h"

namespace saker::cloudtrail {
namespace {

constexpr std::string_view kServiceSuffix = ".amazonaws.com";

void shortsrc(const FieldCtx& c, sdk::ExtractRequest& r) {
  auto v = c.rec.top("eventSource");
  if (!v || !jv::is_string(*v)) return set_text(r, v);
  std::string s = jv::decode(*v);
  if (s.size() > kServiceSuffix.size() && s.ends_with(kServiceSuffix))
    s.resize(s.size() - kServiceSuffix.size());
  r.set(s);
}

void user(const FieldCtx& c, sdk::ExtractRequest& r) {
  if (auto u = user_of(c.rec)) r.set(*u);
}

void accountid(const FieldCtx& c, sdk::ExtractRequest& r) {
  auto v = c.rec.at("userIdentity", {"accountId"});
  set_text(r, v ? v : c.rec.top("recipientAccountId"));
}

void bool_text(const FieldCtx& c, sdk::ExtractRequest& r, std::string_view key) {
  if (auto b = jv::boolean(c.rec.top(key))) r.set(*b ? "true" : "false");
}

void readonly(const FieldCtx& c, sdk::ExtractRequest& r) {
  if (auto b = readonly_of(c.rec)) r.set(*b ? "true" : "false");
}

void info(const FieldCtx& c, sdk::ExtractRequest& r) { r.set(info_of(c.rec)); }

// ct.resources: the resources array's elements as JSON, comma-separated.
void resources(const FieldCtx& c, sdk::ExtractRequest& r) {
  auto v = c.rec.top("resources");
  if (!v) return;
  std::string out;
  jv::for_each(*v, [&](jv::View e) {
    if (!out.empty()) out += ',';
    out.append(e);
    return true;
  });
  if (!out.empty()) r.set(out);
}

}  // namespace

std::optional<std::string> user_of(const RecordIndex& rec) {
  auto id = rec.top("userIdentity");
  if (!id) return std::nullopt;
  auto type = jv::member(*id, "type");
  if (!type || !jv::is_string(*type)) return std::nullopt;
  const std::string t = jv::decode(*type);
  std::optional<jv::View> name;
  if (t == "Root" || t == "IAMUser") {
    name = jv::member(*id, "userName");
  } else if (t == "AWSService") {
    name = jv::member(*id, "invokedBy");
  } else if (t == "AssumedRole") {
    name = jv::path(*id, {"sessionContext", "sessionIssuer", "userName"});
    if (!name) return std::string("AssumedRole");
  } else if (t == "AWSAccount" || t == "FederatedUser") {
    return t;
  } else {
    return std::nullopt;
  }
  return jv::text(name);
}

std::optional<bool> readonly_of(const RecordIndex& rec) {
  if (auto b = jv::boolean(rec.top("readOnly"))) return b;
  // Records without readOnly: guess from the verb that starts the event name.
  auto name = rec.top("eventName");
  if (!name || !jv::is_string(*name)) return std::nullopt;
  static constexpr std::string_view kWriteVerbs[] = {
      "Activate",     "Add",       "Admin",      "Assign",     "Associate", "Attach",   "Cancel",
      "Close",        "Create",    "Delete",     "Deregister", "Destroy",   "Detach",   "Disable",
      "Disassociate", "Enable",    "Initialize", "Modify",     "Open",      "Purchase", "Put",
      "Reboot",       "Register",  "Remove",     "Run",        "Set",       "Start",    "Stop",
      "Suspend",      "Terminate", "Unassign",   "Unlink",     "Update",    "Upgrade",  "Wipe"};
  const std::string n = jv::decode(*name);
  for (auto verb : kWriteVerbs) {
    if (n.starts_with(verb)) return false;
  }
  return true;
}

std::vector<FieldEntry> ct_fields() {
  return {
      member_field("ct.id", "Event ID", "The unique ID of the record (eventID)", "eventID"),
      member_field("ct.error", "Error Code",
                   "The error code of a failed call (errorCode); no value when the call succeeded",
                   "errorCode"),
      member_field("ct.errormessage", "Error Message",
                   "The error message of a failed call (errorMessage); no value when none",
                   "errorMessage"),
      member_field("ct.time", "Timestamp", "The time of the call as written (eventTime)",
                   "eventTime"),
      member_field("ct.src", "AWS Service",
                   "The service the call went to (eventSource, e.g. iam.amazonaws.com)",
                   "eventSource"),
      str_field("ct.shortsrc", "AWS Service",
                "The service the call went to without the .amazonaws.com suffix (e.g. iam)",
                shortsrc),
      member_field("ct.name", "Event Name", "The API call or console action (eventName)",
                   "eventName"),
      str_field("ct.user", "User Name",
                "Who made the call: the user name for Root and IAMUser identities, the calling "
                "service for AWSService, the issuing role's name for AssumedRole, else the "
                "identity type",
                user),
      str_field("ct.user.accountid", "User Account ID",
                "The account of the caller (userIdentity.accountId, else recipientAccountId)",
                accountid),
      member_field("ct.user.identitytype", "User Identity Type",
                   "The kind of identity (Root, IAMUser, AssumedRole, AWSService, ...)",
                   "userIdentity", {"type"}),
      member_field("ct.user.principalid", "User Principal Id",
                   "The unique identifier of the caller (userIdentity.principalId)", "userIdentity",
                   {"principalId"}),
      member_field("ct.user.arn", "User ARN", "The ARN of the caller (userIdentity.arn)",
                   "userIdentity", {"arn"}),
      member_field("ct.region", "Region", "The AWS region of the call (awsRegion)", "awsRegion"),
      member_field("ct.response.subnetid", "Response Subnet ID", "responseElements.subnetId",
                   "responseElements", {"subnetId"}),
      member_field("ct.response.reservationid", "Response Reservation ID",
                   "responseElements.reservationId", "responseElements", {"reservationId"}),
      subtree_field("ct.response", "Response Elements",
                    "The response elements as JSON; ct.response[a.b] or ct.response[/a/b] for "
                    "one value",
                    "responseElements"),
      member_field("ct.request.availabilityzone", "Request Availability Zone",
                   "requestParameters.availabilityZone", "requestParameters", {"availabilityZone"}),
      member_field("ct.request.cluster", "Request Cluster", "requestParameters.cluster",
                   "requestParameters", {"cluster"}),
      member_field("ct.request.functionname", "Request Function Name",
                   "requestParameters.functionName", "requestParameters", {"functionName"}),
      member_field("ct.request.groupname", "Request Group Name", "requestParameters.groupName",
                   "requestParameters", {"groupName"}),
      member_field("ct.request.host", "Request Host Name", "requestParameters.Host",
                   "requestParameters", {"Host"}),
      member_field("ct.request.name", "Request Name",
                   "The name of the entity acted on (requestParameters.name)", "requestParameters",
                   {"name"}),
      member_field("ct.request.policy", "Request Policy", "requestParameters.policy",
                   "requestParameters", {"policy"}),
      member_field("ct.request.serialnumber", "Request Serial Number",
                   "requestParameters.serialNumber", "requestParameters", {"serialNumber"}),
      member_field("ct.request.servicename", "Request Service", "requestParameters.serviceName",
                   "requestParameters", {"serviceName"}),
      member_field("ct.request.subnetid", "Request Subnet ID", "requestParameters.subnetId",
                   "requestParameters", {"subnetId"}),
      member_field("ct.request.taskdefinition", "Request Task Definition",
                   "requestParameters.taskDefinition", "requestParameters", {"taskDefinition"}),
      member_field("ct.request.username", "Request User Name", "requestParameters.userName",
                   "requestParameters", {"userName"}),
      subtree_field("ct.request", "Request Parameters",
                    "The request parameters as JSON; ct.request[a.b] or ct.request[/a/b] for "
                    "one value",
                    "requestParameters"),
      member_field("ct.srcip", "Source IP",
                   "Where the call came from (sourceIPAddress: an address, or a service name)",
                   "sourceIPAddress"),
      member_field("ct.useragent", "User Agent", "The caller's user agent (userAgent)",
                   "userAgent"),
      str_field("ct.info", "Info",
                "A one-line summary: who, from where, read or write, what, and for some "
                "calls their object",
                info),
      str_field(
          "ct.managementevent", "Management Event",
          "'true' for a management event, 'false' for a data event (managementEvent)",
          [](const FieldCtx& c, sdk::ExtractRequest& r) { bool_text(c, r, "managementEvent"); }),
      str_field("ct.readonly", "Read Only",
                "'true' when the call only reads, 'false' when it changes something (readOnly; "
                "guessed from the event name's verb when the record has none)",
                readonly),
      member_field("ct.requestid", "Request ID", "The request's identifier (requestID)",
                   "requestID"),
      member_field("ct.eventtype", "Event Type",
                   "The kind of record (AwsApiCall, AwsConsoleSignIn, AwsServiceEvent, ...)",
                   "eventType"),
      member_field("ct.apiversion", "API Version", "apiVersion", "apiVersion"),
      str_field("ct.resources", "Resources",
                "The resources of the call, each as JSON, comma-separated", resources),
      member_field("ct.recipientaccountid", "Recipient Account Id",
                   "The account that received the record (recipientAccountId)",
                   "recipientAccountId"),
      member_field("ct.serviceeventdetails", "Service Event Details", "serviceEventDetails",
                   "serviceEventDetails"),
      member_field("ct.sharedeventid", "Shared Event ID", "sharedEventID", "sharedEventID"),
      member_field("ct.vpcendpointid", "VPC Endpoint ID", "vpcEndpointId", "vpcEndpointId"),
      member_field("ct.eventcategory", "Event Category",
                   "Management, Data, NetworkActivity or Insight (eventCategory)", "eventCategory"),
      member_field("ct.addendum.reason", "Reason", "addendum.reason", "addendum", {"reason"}),
      member_field("ct.addendum.updatedfields", "Updated Fields", "addendum.updatedFields",
                   "addendum", {"updatedFields"}),
      member_field("ct.addendum.originalrequestid", "Original Request ID",
                   "addendum.originalRequestID", "addendum", {"originalRequestID"}),
      member_field("ct.addendum.originaleventid", "Original Event ID", "addendum.originalEventID",
                   "addendum", {"originalEventID"}),
      str_field("ct.sessioncredentialfromconsole", "Session Credential From Console",
                "'true' when the call used a console session's credentials",
                [](const FieldCtx& c, sdk::ExtractRequest& r) {
                  bool_text(c, r, "sessionCredentialFromConsole");
                }),
      member_field("ct.edgedevicedetails", "Edge Device Details", "edgeDeviceDetails",
                   "edgeDeviceDetails"),
      member_field("ct.tlsdetails.tlsversion", "TLS Version", "tlsDetails.tlsVersion", "tlsDetails",
                   {"tlsVersion"}),
      member_field("ct.tlsdetails.ciphersuite", "TLS Cipher Suite", "tlsDetails.cipherSuite",
                   "tlsDetails", {"cipherSuite"}),
      member_field("ct.tlsdetails.clientprovidedhostheader", "Client Provided Host Header",
                   "tlsDetails.clientProvidedHostHeader", "tlsDetails",
                   {"clientProvidedHostHeader"}),
      subtree_field("ct.additionaleventdata", "Additional Event Data",
                    "additionalEventData as JSON; ct.additionaleventdata[MFAUsed] (or a JSON "
                    "pointer) for one value",
                    "additionalEventData"),
  };
}

}  // namespace saker::cloudtrail
