package dev.fixgate.provider.aws.evidence;

import java.util.Map;

/**
 * Kinds registered for AWS (or for any cloud) that no AWS collector answers, with the reason. The contract test
 * requires every AWS kind of {@code EvidenceKinds} to have a collector or an entry here. Two sorts of entry, and the
 * reason says which: "unobservable" (no AWS read API can answer it) and "not collected yet" (an API can, named in the
 * reason, but fixgate does not read it yet: the service's SDK module resolves at the BOM's 2.59.1 unless the reason
 * says otherwise). A playbook rule on either kind sees it unavailable, which never helps a fix toward SAFE.
 */
final class Unobservable {

    static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("dependents", "no AWS read API lists what depends on an arbitrary resource (references live in other"
                    + " resources' configurations, code and DNS); the kinds that matter are observed directly:"
                    + " sg.attached_interfaces, cloudtrail.log_readers_30d, s3.cross_account_readers_30d,"
                    + " lambda.external_invocations_90d"),
            Map.entry("elb.invalid_header_requests_30d", "unobservable: no AWS API records request header names — ALB"
                    + " access logs carry the request line, user agent, TLS and routing fields but no headers, and no"
                    + " AWS/ApplicationELB metric counts them; the desync classification (classification_reason"
                    + " NonCompliantHeader, SuspiciousHeader…) flags malformed headers, not names outside [-A-Za-z0-9]+"
                    + " such as x_forwarded_user, which is what drop_invalid_header_fields drops; only the targets' own"
                    + " logs show them"),
            Map.entry("eks.public_endpoint_requests_30d", "not collected yet: eks:DescribeCluster (the VPC, whether the"
                    + " public endpoint is on) and the control-plane audit log in CloudWatch Logs"
                    + " (/aws/eks/<cluster>/cluster, when audit logging is on) through Logs Insights (logs:StartQuery),"
                    + " counting requests whose sourceIPs lie outside the VPC's CIDRs; the EKS SDK module"
                    + " (software.amazon.awssdk:eks) resolves at 2.59.1, but fixgate does not read it yet"),
            Map.entry("guardduty.estimated_monthly_cost_usd", "not collected yet: guardduty:GetUsageStatistics"
                    + " (SUM_BY_DATA_SOURCE, cost in USD) answers it for an existing detector — in its 30-day trial or"
                    + " suspended; before GuardDuty is first enabled no AWS API estimates it (the Price List API has"
                    + " unit prices, not the account's volumes). The registry this build resolves from does not serve"
                    + " software.amazon.awssdk:guardduty (2.59.1 is refused), so fixgate cannot call it yet"),
            Map.entry("kinesis.cross_account_consumers", "not collected yet: kinesis:GetResourcePolicy on the stream and"
                    + " on each consumer of kinesis:ListStreamConsumers answers it (principals of other accounts allowed"
                    + " to read); the Kinesis SDK module (software.amazon.awssdk:kinesis) resolves at 2.59.1, but fixgate"
                    + " does not read it yet"),
            Map.entry("opensearch.http_requests_7d", "not collected yet: no AWS/ES metric separates HTTP from HTTPS"
                    + " requests; the candidate is the domain's audit log published to CloudWatch Logs"
                    + " (es:DescribeDomain for its log publishing options, then logs:StartQuery), whether its REST"
                    + " entries carry the scheme is still to be checked against a live domain; the OpenSearch SDK"
                    + " module (software.amazon.awssdk:opensearch) resolves at 2.59.1, but fixgate does not read it yet"));

    private Unobservable() {
    }
}
