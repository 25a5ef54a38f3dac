package dev.fixgate.provider.aws.evidence;

import java.util.Map;

/**
 * Kinds registered for AWS (or for any cloud) that no AWS read API can answer, with the reason. The contract test
 * requires every AWS kind of {@code EvidenceKinds} to have a collector or an entry here.
 */
final class Unobservable {

    static final Map<String, String> KINDS = Map.of(
            "dependents", "no AWS read API lists what depends on an arbitrary resource (references live in other"
                    + " resources' configurations, code and DNS); the kinds that matter are observed directly:"
                    + " sg.attached_interfaces, cloudtrail.log_readers_30d, s3.cross_account_readers_30d,"
                    + " lambda.external_invocations_90d");

    private Unobservable() {
    }
}
