package dev.fixgate.provider.aws;

import java.util.Optional;

/**
 * Security Hub's control ids as the control catalog spells them.
 *
 * <p>AWS Foundational Security Best Practices control ids are the security control ids ({@code S3.8}), so an
 * AFSBP reference reduces to that id. Other standards keep their standard path, exactly as it appears after
 * {@code control/} in a {@code StandardsControlArn}: {@code cis-aws-foundations-benchmark/v/1.2.0/2.9},
 * {@code pci-dss/v/3.2.1/PCI.S3.1}. The catalog lists those paths beside the security control they map to.
 */
final class SecurityHubControlIds {

    private static final String AFSBP = "aws-foundational-security-best-practices/";
    private static final String CONTROL = ":control/";
    private static final String RULESET = ":ruleset/";
    private static final String SECURITY_CONTROL = "security-control/";

    private SecurityHubControlIds() {
    }

    /** From {@code arn:aws:securityhub:<region>:<account>:control/<standard>/v/<version>/<id>}. */
    static Optional<String> fromStandardsControlArn(String arn) {
        int at = arn.indexOf(CONTROL);
        return at < 0 ? Optional.empty() : standardPath(arn.substring(at + CONTROL.length()));
    }

    /**
     * From a {@code GeneratorId}: {@code aws-foundational-security-best-practices/v/1.0.0/S3.8},
     * {@code security-control/S3.8}, {@code pci-dss/v/3.2.1/PCI.S3.1},
     * {@code cis-aws-foundations-benchmark/v/1.4.0/2.1.5} or the CIS 1.2 ruleset form
     * {@code arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.9}.
     */
    static Optional<String> fromGeneratorId(String generatorId) {
        if (generatorId.startsWith(SECURITY_CONTROL)) {
            String id = generatorId.substring(SECURITY_CONTROL.length());
            return id.isEmpty() ? Optional.empty() : Optional.of(id);
        }
        int ruleset = generatorId.indexOf(RULESET);
        if (generatorId.startsWith("arn:") && ruleset >= 0) {
            return standardPath(generatorId.substring(ruleset + RULESET.length()).replace("/rule/", "/"));
        }
        return standardPath(generatorId);
    }

    /** {@code <standard>/v/<version>/<id>} → the catalog's spelling; empty when it is not of that form. */
    static Optional<String> standardPath(String path) {
        int v = path.indexOf("/v/");
        if (v <= 0) {
            return Optional.empty();
        }
        int idStart = path.indexOf('/', v + 3);
        if (idStart < 0 || idStart == path.length() - 1) {
            return Optional.empty();
        }
        if (path.startsWith(AFSBP)) {
            return Optional.of(path.substring(idStart + 1));
        }
        return Optional.of(path);
    }
}
