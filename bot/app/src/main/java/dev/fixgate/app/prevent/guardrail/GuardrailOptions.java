package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.config.RepoConfig;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How guardrails are rendered.
 *
 * @param mode                 the guardrails repository's mode: it picks the effect of Azure policies
 *                             ({@link AzureEffect})
 * @param parameters           values for the placeholders a guardrail leaves to its organisation
 *                             ({@code <customer-id>} → {@code customer-id}); one left unset becomes a Terraform
 *                             variable, and makes the JSON format fail
 * @param awsPoliciesPerTarget how many SCPs fixgate may attach to one root, OU or account
 */
public record GuardrailOptions(GuardrailFormat format, RepoConfig.Mode mode, Map<String, String> parameters,
                               int awsPoliciesPerTarget) {

    /**
     * Five SCPs per target (the AWS quota) less the one {@code FullAWSAccess} takes, which Organizations attaches
     * everywhere by default and without which nothing is allowed.
     */
    public static final int DEFAULT_AWS_POLICIES_PER_TARGET = ScpPolicy.MAX_PER_TARGET - 1;

    public GuardrailOptions {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(mode, "mode");
        parameters = Map.copyOf(new TreeMap<>(parameters));
        if (awsPoliciesPerTarget < 1 || awsPoliciesPerTarget > ScpPolicy.MAX_PER_TARGET) {
            throw new IllegalArgumentException("awsPoliciesPerTarget must be 1.." + ScpPolicy.MAX_PER_TARGET);
        }
    }

    /** Terraform, enforcing (autonomous mode), no parameters, four SCPs per target. */
    public static GuardrailOptions defaults() {
        return new GuardrailOptions(GuardrailFormat.TERRAFORM, RepoConfig.Mode.AUTONOMOUS, Map.of(),
                DEFAULT_AWS_POLICIES_PER_TARGET);
    }

    public GuardrailOptions withFormat(GuardrailFormat f) {
        return new GuardrailOptions(f, mode, parameters, awsPoliciesPerTarget);
    }

    public GuardrailOptions withMode(RepoConfig.Mode m) {
        return new GuardrailOptions(format, m, parameters, awsPoliciesPerTarget);
    }
}
