package dev.fixgate.spi.evidence;

/** What a piece of evidence tells the assessment about a resource. */
public enum EvidenceKind {
    /** Who owns it: owner/team tags, CODEOWNERS, creator. */
    OWNER,
    /** Which environment it serves: prod, staging, dev. */
    ENVIRONMENT,
    /** Whether and how it is used: request counts, last access, object counts. */
    USAGE,
    /** What depends on it: attached policies, instances, distributions, subscriptions. */
    ATTACHMENT,
    /** Network traffic that a change could cut: flow logs, open ports in use. */
    TRAFFIC,
    /** The resource's current configuration as the cloud reports it. */
    CONFIGURATION,
    /** A tag or label not covered above. */
    TAG
}
