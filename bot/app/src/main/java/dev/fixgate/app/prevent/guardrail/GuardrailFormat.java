package dev.fixgate.app.prevent.guardrail;

import java.util.Locale;

/** How guardrails are written into the guardrails repository ({@code guardrails.format}). */
public enum GuardrailFormat {
    /**
     * Terraform: {@code aws_organizations_policy} + {@code aws_organizations_policy_attachment},
     * {@code azurerm_policy_definition} + {@code azurerm_*_policy_assignment}, {@code google_org_policy_policy}
     * (+ {@code google_org_policy_custom_constraint}).
     */
    TERRAFORM,
    /**
     * The clouds' own documents: SCP JSON (minified, as counted), Azure policy definition and assignment JSON, GCP
     * organisation policy (and custom constraint) JSON as {@code gcloud org-policies} takes them.
     */
    JSON;

    public static GuardrailFormat of(String value) {
        return valueOf(value.strip().toUpperCase(Locale.ROOT));
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
