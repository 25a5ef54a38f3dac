package dev.fixgate.spi.finding;

/**
 * Maps a tool's control id to fixgate's canonical control. The catalog behind it is data owned by the
 * playbooks; parsers call it for every record and never invent canonical ids themselves.
 */
@FunctionalInterface
public interface ControlResolver {

    /**
     * @param tool          the reporting tool as {@link Finding#sourceTool()} spells it ({@code securityhub}, {@code prowler}, …)
     * @param toolControlId the tool's id ({@code S3.8}, {@code s3_bucket_level_public_access_block}, {@code CKV_AWS_53})
     * @return the canonical control, or {@link ControlId#unmapped(String, String)} when the catalog does not know it
     */
    ControlId resolve(String tool, String toolControlId);

    /** A resolver that knows nothing: every id comes back unmapped. */
    static ControlResolver none() {
        return ControlId::unmapped;
    }
}
