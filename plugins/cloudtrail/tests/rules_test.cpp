// Rules through the real core: the upstream aws_cloudtrail_rules.yaml loads with no error
// and no warning against this plugin's fields; the Stratus Red Team records, replayed one
// technique at a time, raise the alerts listed below (upstream's rules and saker's own
// rules/aws_cloudtrail_rules.yaml); near misses of saker's rules raise nothing. The tables
// are printed (MESSAGE) so a run shows them.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "ct_test_util.h"
#include "test_util.h"

using namespace saker;
using namespace saker::cttest;
namespace fs = std::filesystem;

namespace {

const std::string kUpstreamRules =
    std::string(SAKER_TESTDATA_DIR) + "/rules/aws_cloudtrail_rules.yaml";
const std::string kOwnRules = SAKER_CT_RULES_FILE;

using Table = std::map<std::string, std::set<std::string>>;  // technique -> rules

std::string technique_of(const std::string& file) {
  std::string t = fs::path(file).stem().string();  // aws.defense-evasion.cloudtrail-stop
  return t.substr(4);
}

// Replays each Stratus file on its own through `rules`; the rules each technique raised.
Table run_techniques(const std::string& rules, std::map<std::string, size_t>* counts) {
  Table t;
  for (const auto& f : stratus_files()) {
    auto r = replay_rules(f, rules);
    auto& rs = t[technique_of(f)];
    for (const auto& a : r.alerts) {
      rs.insert(a.rule);
      (*counts)[technique_of(f) + " / " + a.rule]++;
    }
  }
  return t;
}

void print_table(const Table& t, const std::map<std::string, size_t>& counts) {
  for (const auto& [tech, rules] : t) {
    std::string line = tech + ": ";
    if (rules.empty()) line += "(no alert)";
    for (const auto& r : rules)
      line += "[" + r + "] x" + std::to_string(counts.at(tech + " / " + r)) + " ";
    MESSAGE(line);
  }
}

}  // namespace

TEST_CASE("upstream aws_cloudtrail_rules.yaml: no error, no warning; Stratus alerts") {
  auto whole = replay_rules(stratus_dir(), kUpstreamRules);
  CHECK(whole.load_errors.empty());
  CHECK_MESSAGE(whole.load_warnings.empty(), whole.load_warnings.size(), " warnings");
  CHECK(whole.events == 310);
  std::map<std::string, size_t> counts;
  Table t = run_techniques(kUpstreamRules, &counts);
  print_table(t, counts);
  // Upstream's rules cover five of the techniques; the others call APIs they do not watch
  // (or, for ec2-launch-unusual-instances, the call failed and the rule wants success).
  Table expected = {
      {"defense-evasion.cloudtrail-stop", {"CloudTrail Logging Disabled"}},
      {"initial-access.console-login-without-mfa", {"Console Login Without MFA"}},
      {"persistence.iam-create-admin-user", {"Create AWS user"}},
      {"persistence.lambda-layer-extension", {"Update Lambda Function Configuration"}},
      {"persistence.lambda-overwrite-code", {"Update Lambda Function Code"}},
  };
  for (const auto& [tech, rules] : t) {
    CAPTURE(tech);
    CHECK(rules == (expected.count(tech) ? expected[tech] : std::set<std::string>{}));
  }
}

TEST_CASE("saker's own rules: no error, no warning; every Stratus technique raises its alerts") {
  std::map<std::string, size_t> counts;
  auto whole = replay_rules(stratus_dir(), kOwnRules);
  CHECK(whole.load_errors.empty());
  CHECK(whole.load_warnings.empty());
  Table t = run_techniques(kOwnRules, &counts);
  print_table(t, counts);
  const std::string ssh_key = "SSH key pushed through EC2 Instance Connect";
  const std::string ssm_cmd = "Command sent to instances through SSM";
  const std::string other_key = "Access key created for another user";
  const std::string admin = "Administrator policy attached";
  const std::string password = "Console password set for another user";
  Table expected = {
      {"credential-access.ec2-get-password-data", {"Windows instance password requested"}},
      {"credential-access.ec2-steal-instance-credentials", {ssm_cmd}},
      {"credential-access.secretsmanager-batch-retrieve-secrets", {"Secrets read in bulk"}},
      {"credential-access.secretsmanager-retrieve-secrets", {"Secret read by an IAM user"}},
      {"credential-access.ssm-retrieve-securestring-parameters",
       {"SecureString parameters decrypted by an IAM user"}},
      {"defense-evasion.cloudtrail-delete", {"CloudTrail trail deleted"}},
      {"defense-evasion.cloudtrail-event-selectors", {"CloudTrail event selection changed"}},
      {"defense-evasion.cloudtrail-stop", {"CloudTrail logging stopped"}},
      {"defense-evasion.dns-delete-logs", {"Route 53 resolver query logging removed"}},
      {"defense-evasion.organizations-leave", {"Account asked to leave its organization"}},
      {"defense-evasion.vpc-remove-flow-logs", {"VPC flow logs deleted"}},
      {"discovery.ec2-download-user-data", {"Instance user data read"}},
      {"execution.ec2-launch-unusual-instances", {"GPU instance launch attempted"}},
      {"execution.ec2-user-data", {"Instance user data changed"}},
      {"execution.ssm-send-command", {ssm_cmd}},
      {"execution.ssm-start-session", {"SSM session started on an instance"}},
      {"exfiltration.ec2-security-group-open-port-22-ingress", {"SSH opened to the internet"}},
      {"exfiltration.ec2-share-ami", {"AMI shared"}},
      {"exfiltration.ec2-share-ebs-snapshot", {"EBS snapshot shared"}},
      {"exfiltration.rds-share-snapshot", {"RDS snapshot shared"}},
      {"impact.bedrock-invoke-model", {"Bedrock model access granted"}},
      {"initial-access.console-login-without-mfa", {"Console sign-in without MFA"}},
      {"lateral-movement.ec2-instance-connect", {ssh_key}},
      {"lateral-movement.ec2-serial-console-send-ssh-public-key",
       {"EC2 serial console access enabled", ssh_key}},
      {"persistence.iam-backdoor-role", {"Role trust policy changed"}},
      {"persistence.iam-backdoor-user", {other_key}},
      {"persistence.iam-create-admin-user", {"IAM user created", admin, other_key}},
      {"persistence.iam-create-backdoor-role", {"Role assumable by an AWS account created", admin}},
      {"persistence.iam-create-user-login-profile", {password}},
      {"persistence.lambda-backdoor-function", {"Lambda function opened to everyone"}},
      {"persistence.lambda-layer-extension", {"Lambda layer added to a function"}},
      {"persistence.lambda-overwrite-code", {"Lambda function code replaced"}},
      {"persistence.rolesanywhere-create-trust-anchor",
       {"IAM Roles Anywhere trust anchor created"}},
      {"persistence.sts-federation-token", {"Federation token obtained"}},
      {"privilege-escalation.iam-update-user-login-profile", {password}},
  };
  REQUIRE(t.size() == 35);
  for (const auto& [tech, rules] : t) {
    CAPTURE(tech);
    CHECK(rules == expected[tech]);
  }
  // Output fields carry the record's values.
  auto stop = replay_rules(stratus_dir() + "/aws.defense-evasion.cloudtrail-stop.json", kOwnRules);
  REQUIRE(stop.alerts.size() == 1);
  CHECK(stop.alerts[0].fields["ct.request.name"] == "stratus-red-team-ct-stop-trail-buykxbqejv");
  CHECK(stop.alerts[0].fields["ct.user"] == "christophe");
  CHECK(stop.alerts[0].fields["ct.srcip"] == "86.245.153.234");
}

TEST_CASE("near misses of saker's own rules raise nothing") {
  test::TempDir dir;
  const std::string who =
      R"("userIdentity":{"type":"IAMUser","userName":"alice","arn":"arn:aws:iam::1:user/alice","accountId":"1"},)"
      R"("sourceIPAddress":"192.0.2.1","awsRegion":"us-east-1","eventTime":"2024-01-01T00:00:00Z",)";
  const std::vector<std::string> records = {
      // Her own access key, her own password.
      R"({)" + who + R"("eventName":"CreateAccessKey","requestParameters":{"userName":"alice"}})",
      R"({)" + who +
          R"("eventName":"UpdateLoginProfile","requestParameters":{"userName":"alice"}})",
      // A sign-in with MFA; a failed sign-in without.
      R"({)" + who +
          R"("eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"MFAUsed":"Yes"}})",
      R"({)" + who +
          R"("eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}})",
      // A read-only policy; logging stopped but refused.
      R"({)" + who +
          R"("eventName":"AttachUserPolicy","requestParameters":{"userName":"bob","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}})",
      R"({)" + who +
          R"("eventName":"StopLogging","errorCode":"AccessDenied","requestParameters":{"name":"t"}})",
      // SSH open to one address; port 443 open to everyone.
      R"({)" + who +
          R"("eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"cidrIp":"192.0.2.7/32","fromPort":22,"toPort":22}})",
      R"({)" + who +
          R"("eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"cidrIp":"0.0.0.0/0","fromPort":443,"toPort":443}})",
      // A small instance; a role trusting a service; a layer-less configuration update.
      R"({)" + who +
          R"("eventName":"RunInstances","requestParameters":{"instanceType":"t3.micro"}})",
      R"({)" + who +
          R"("eventName":"CreateRole","requestParameters":{"roleName":"r","assumeRolePolicyDocument":"{\"Principal\":{\"Service\":\"ec2.amazonaws.com\"}}"}})",
      R"({)" + who +
          R"("eventName":"UpdateFunctionConfiguration20150331v2","eventSource":"lambda.amazonaws.com","requestParameters":{"functionName":"f","timeout":30}})",
      // A secret read by a role; parameters read without decryption.
      R"({"userIdentity":{"type":"AssumedRole"},"eventName":"GetSecretValue","requestParameters":{"secretId":"s"}})",
      R"({)" + who +
          R"("eventName":"GetParameters","requestParameters":{"names":["p"],"withDecryption":false}})",
  };
  std::string doc = "{\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) doc += (i ? "," : "") + records[i];
  doc += "]}";
  std::ofstream(dir.path() / "near.json") << doc;
  auto r = replay_rules((dir.path() / "near.json").string(), kOwnRules);
  CHECK(r.events == records.size());
  CHECK(r.metrics["records_malformed"] == 0);
  for (const auto& a : r.alerts) MESSAGE("unexpected: ", a.rule, ": ", a.output);
  CHECK(r.alerts.empty());
}
