package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.config.RepoConfig;
import java.util.Locale;

/**
 * The effect an Azure Policy guardrail is assigned with, from the guardrails repository's mode. In
 * {@code supervised} and {@code autonomous} mode fixgate is trusted to change what runs — there a guardrail
 * enforces: the catalog's {@code Deny}. In {@code detect} and {@code assist} mode fixgate only reports and
 * proposes — there a guardrail only reports too: {@code Audit}, which flags non-compliant resources without
 * blocking a deployment. Policies whose only effects are {@code AuditIfNotExists} or {@code DeployIfNotExists}
 * keep theirs in every mode: they never block anything.
 */
public final class AzureEffect {

    private AzureEffect() {
    }

    /** Whether guardrails deny (enforce) in {@code mode}. */
    public static boolean enforcing(RepoConfig.Mode mode) {
        return mode == RepoConfig.Mode.SUPERVISED || mode == RepoConfig.Mode.AUTONOMOUS;
    }

    /**
     * The effect to assign: {@code catalogEffect} ({@code Deny}, {@code Audit}, {@code AuditIfNotExists}, …, any
     * case) as the catalog gives it, turned into {@code Audit} when it blocks and {@code mode} does not enforce.
     * The result is spelled as Azure's built-in definitions list their allowed values ({@code Deny}, {@code Audit}).
     */
    public static String of(String catalogEffect, RepoConfig.Mode mode) {
        String e = catalogEffect.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "deny" -> enforcing(mode) ? "Deny" : "Audit";
            case "audit" -> "Audit";
            case "auditifnotexists" -> "AuditIfNotExists";
            case "deployifnotexists" -> "DeployIfNotExists";
            case "disabled" -> "Disabled";
            case "modify" -> enforcing(mode) ? "Modify" : "Audit";
            case "append" -> enforcing(mode) ? "Append" : "Audit";
            default -> throw new GuardrailException("guardrail.unknown-effect", "'" + catalogEffect
                    + "' is not an Azure Policy effect");
        };
    }
}
