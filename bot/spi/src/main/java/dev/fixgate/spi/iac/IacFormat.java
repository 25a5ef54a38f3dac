package dev.fixgate.spi.iac;

import java.util.Locale;
import java.util.Optional;

/** The infrastructure-as-code formats fixgate can read and patch. */
public enum IacFormat {
    TERRAFORM, CLOUDFORMATION_YAML, CLOUDFORMATION_JSON;

    /**
     * Guesses the format from a file name: {@code .tf}/{@code .tfvars} are Terraform, {@code .yaml}/{@code .yml}/
     * {@code .template} CloudFormation YAML and {@code .json} CloudFormation JSON. Callers that need certainty
     * (a {@code .json} file need not be a template) check the content as well.
     */
    public static Optional<IacFormat> ofPath(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        if (p.endsWith(".tf") || p.endsWith(".tfvars")) {
            return Optional.of(TERRAFORM);
        }
        if (p.endsWith(".yaml") || p.endsWith(".yml") || p.endsWith(".template")) {
            return Optional.of(CLOUDFORMATION_YAML);
        }
        if (p.endsWith(".json")) {
            return Optional.of(CLOUDFORMATION_JSON);
        }
        return Optional.empty();
    }
}
