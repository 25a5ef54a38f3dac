package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.error.SourceLocation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Azure: each playbook's policy — a built-in definition by id, or the catalog's own {@code policyRule} as a custom
 * definition — assigned to a management group or a subscription, with the effect {@link AzureEffect} picks for the
 * guardrails repository's mode. A custom rule's fixed effect becomes an {@code effect} parameter (its allowed values
 * the blocking effect, {@code Audit} and {@code Disabled}), so the assignment alone says whether it blocks. One file
 * per playbook ({@code <playbook>.tf}, or {@code <playbook>.definition.json} and {@code <playbook>.assignment.json}
 * as the Azure REST API takes them): guardrails for the same target never touch each other's files.
 */
final class AzurePolicyRenderer {

    private static final String AUTHORIZATION = "/providers/Microsoft.Authorization/policyDefinitions/";

    private AzurePolicyRenderer() {
    }

    static RenderedGuardrails render(GuardrailTarget target, List<Playbook> playbooks, List<RenderedGuardrails.Skipped> skipped,
                                     GuardrailOptions options) {
        SortedMap<String, String> files = new TreeMap<>();
        for (Playbook p : playbooks) {
            Policy policy = policy(p, target, options);
            if (options.format() == GuardrailFormat.TERRAFORM) {
                files.put(p.id() + ".tf", terraform(p, policy, target, options));
            } else {
                policy.definition().ifPresent(d -> files.put(p.id() + ".definition.json", Json.prettyInOrder(d) + "\n"));
                files.put(p.id() + ".assignment.json", Json.prettyInOrder(policy.assignment()) + "\n");
            }
        }
        return new RenderedGuardrails(target, options.format(), new TreeSet<>(playbooks.stream().map(Playbook::id).toList()),
                files, List.of(), skipped, new TreeSet<>());
    }

    /**
     * One playbook's guardrail as Azure's documents.
     *
     * @param definition     the custom definition's resource ({@code name}, {@code properties}); empty for a built-in
     * @param definitionId   the definition the assignment refers to
     * @param effect         the effect it is assigned with
     */
    record Policy(java.util.Optional<Map<String, Object>> definition, String definitionId, String effect,
                  Map<String, Object> assignment) {
    }

    @SuppressWarnings("unchecked")
    static Policy policy(Playbook p, GuardrailTarget target, GuardrailOptions options) {
        Map<String, Object> raw = p.guardrail().azurePolicy().orElseThrow();
        String where = p.folder() + "/playbook.yaml";
        Map<String, Object> assignmentParameters = new LinkedHashMap<>();
        java.util.Optional<Map<String, Object>> definition = java.util.Optional.empty();
        String definitionId;
        String effect;
        if (raw.get("definition_id") instanceof String id) {
            if (!id.startsWith(AUTHORIZATION) || id.length() == AUTHORIZATION.length()) {
                throw invalid(where, "/guardrail/azure_policy/definition_id", "a built-in definition id is "
                        + AUTHORIZATION + "<name>, is '" + id + "'");
            }
            definitionId = id;
            Map<String, Object> params = raw.get("parameters") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            if (!(params.get("effect") instanceof String catalogEffect)) {
                throw invalid(where, "/guardrail/azure_policy/parameters/effect", "a built-in assignment names its effect");
            }
            effect = AzureEffect.of(catalogEffect, options.mode());
            new TreeMap<>(params).forEach((k, v) -> assignmentParameters.put(k, Map.of("value",
                    k.equals("effect") ? effect : v)));
        } else if (raw.get("policyRule") instanceof Map<?, ?> rule) {
            Map<String, Object> policyRule = deepCopy((Map<String, Object>) rule);
            if (!(policyRule.get("then") instanceof Map<?, ?> then) || !(then.get("effect") instanceof String ruleEffect)) {
                throw invalid(where, "/guardrail/azure_policy/policyRule/then/effect", "a policy rule names its effect");
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            if (ruleEffect.startsWith("[")) {
                throw invalid(where, "/guardrail/azure_policy/policyRule/then/effect",
                        "write the effect the guardrail enforces (deny); fixgate makes it a parameter");
            }
            effect = AzureEffect.of(ruleEffect, options.mode());
            String blocking = AzureEffect.of(ruleEffect, dev.fixgate.app.config.RepoConfig.Mode.AUTONOMOUS);
            ((Map<String, Object>) policyRule.get("then")).put("effect", "[parameters('effect')]");
            Map<String, Object> effectParameter = new LinkedHashMap<>();
            effectParameter.put("type", "String");
            Map<String, Object> effectMetadata = new LinkedHashMap<>();
            effectMetadata.put("displayName", "Effect");
            effectMetadata.put("description", blocking + " blocks non-compliant changes; Audit reports them; Disabled"
                    + " turns the policy off.");
            effectParameter.put("metadata", effectMetadata);
            effectParameter.put("allowedValues", new TreeSet<>(List.of(blocking, "Audit", "Disabled")).stream().toList());
            effectParameter.put("defaultValue", effect);
            parameters.put("effect", effectParameter);
            assignmentParameters.put("effect", Map.of("value", effect));
            String name = definitionName(p);
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("displayName", "fixgate: " + p.title());
            properties.put("policyType", "Custom");
            properties.put("mode", raw.getOrDefault("mode", "All"));
            properties.put("description", p.guardrail().description());
            properties.put("metadata", new TreeMap<>(Map.of("category", "fixgate", "playbook", p.id())));
            properties.put("parameters", parameters);
            properties.put("policyRule", policyRule);
            Map<String, Object> def = new LinkedHashMap<>();
            def.put("name", name);
            def.put("properties", properties);
            definition = java.util.Optional.of(def);
            definitionId = target.id() + AUTHORIZATION + name;
        } else {
            throw invalid(where, "/guardrail/azure_policy", "give a built-in definition_id or a policyRule");
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("displayName", displayName(p, raw));
        properties.put("description", p.guardrail().description() + (AzureEffect.enforcing(options.mode()) ? ""
                : " Assigned with effect " + effect + ": the guardrails repository is in "
                + options.mode().name().toLowerCase(java.util.Locale.ROOT) + " mode, so guardrails report and do not block."));
        properties.put("policyDefinitionId", definitionId);
        properties.put("scope", target.id());
        properties.put("parameters", assignmentParameters);
        properties.put("enforcementMode", "Default");
        properties.put("metadata", new TreeMap<>(Map.of("assignedBy", "fixgate", "playbook", p.id())));
        Map<String, Object> assignment = new LinkedHashMap<>();
        assignment.put("name", assignmentName(p));
        assignment.put("properties", properties);
        return new Policy(definition, definitionId, effect, assignment);
    }

    private static String terraform(Playbook p, Policy policy, GuardrailTarget target, GuardrailOptions options) {
        String name = "fixgate_" + p.id();
        StringBuilder b = new StringBuilder();
        b.append("# Managed by fixgate: the guardrail of playbook ").append(p.id()).append(" for Azure ").append(target)
                .append(".\n# Effect ").append(policy.effect()).append(AzureEffect.enforcing(options.mode())
                        ? " (the guardrails repository's mode, " : " (report only: the guardrails repository's mode, ")
                .append(options.mode().name().toLowerCase(java.util.Locale.ROOT)).append(").\n");
        Object definitionRef = policy.definitionId();
        if (policy.definition().isPresent()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> props = (Map<String, Object>) policy.definition().get().get("properties");
            Map<String, Object> def = new LinkedHashMap<>();
            def.put("name", policy.definition().get().get("name"));
            def.put("policy_type", "Custom");
            def.put("mode", props.get("mode"));
            def.put("display_name", props.get("displayName"));
            def.put("description", props.get("description"));
            if (target.kind() == GuardrailTarget.Kind.AZURE_MANAGEMENT_GROUP) {
                def.put("management_group_id", target.id());
            }
            def.put("metadata", new Hcl.Raw("jsonencode(" + Hcl.value(props.get("metadata"), 1) + ")"));
            def.put("parameters", new Hcl.Raw("jsonencode(" + Hcl.value(props.get("parameters"), 1) + ")"));
            def.put("policy_rule", new Hcl.Raw("jsonencode(" + Hcl.value(props.get("policyRule"), 1) + ")"));
            b.append("\nresource \"azurerm_policy_definition\" \"").append(name).append("\" {\n")
                    .append(Hcl.attributes(def, 1)).append("}\n");
            definitionRef = new Hcl.Raw("azurerm_policy_definition." + name + ".id");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) policy.assignment().get("properties");
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", policy.assignment().get("name"));
        a.put("display_name", props.get("displayName"));
        a.put("description", props.get("description"));
        a.put("policy_definition_id", definitionRef);
        boolean mg = target.kind() == GuardrailTarget.Kind.AZURE_MANAGEMENT_GROUP;
        a.put(mg ? "management_group_id" : "subscription_id", target.id());
        a.put("enforce", true);
        a.put("parameters", new Hcl.Raw("jsonencode(" + Hcl.value(props.get("parameters"), 1) + ")"));
        b.append("\nresource \"").append(mg ? "azurerm_management_group_policy_assignment"
                        : "azurerm_subscription_policy_assignment").append("\" \"").append(name).append("\" {\n")
                .append(Hcl.attributes(a, 1)).append("}\n");
        return b.toString();
    }

    private static String displayName(Playbook p, Map<String, Object> raw) {
        String shown = raw.get("display_name") instanceof String s ? s : p.title();
        String full = "fixgate: " + shown;
        // Azure limits display names to 128 characters
        return full.length() <= 128 ? full : full.substring(0, 127) + "…";
    }

    /** {@code fixgate-<playbook>}: custom definition names are at most 64 characters. */
    static String definitionName(Playbook p) {
        String n = "fixgate-" + p.id();
        return n.length() <= 64 ? n : n.substring(0, 55) + "-" + hash(p.id()).substring(0, 8);
    }

    /**
     * {@code fg-} and 12 hex digits of the playbook id's SHA-256: assignment names at management group scope are at
     * most 24 characters, and the same playbook always gets the same name (updated, never duplicated).
     */
    static String assignmentName(Playbook p) {
        return "fg-" + hash(p.id()).substring(0, 12);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> inner ? deepCopy((Map<String, Object>) inner)
                : v instanceof List<?> l ? l.stream().map(e -> e instanceof Map<?, ?> im
                ? deepCopy((Map<String, Object>) im) : e).toList() : v));
        return out;
    }

    private static GuardrailException invalid(String where, String pointer, String message) {
        return new GuardrailException("guardrail.invalid-azure-policy", message, SourceLocation.of(where).withPointer(pointer));
    }
}
