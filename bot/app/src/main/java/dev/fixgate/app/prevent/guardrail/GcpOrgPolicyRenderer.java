package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * GCP: each playbook's organisation policy on the target organisation, folder or project —
 * {@code google_org_policy_policy} enforcing a boolean constraint, or allowing / denying values of a list
 * constraint — and, for a custom constraint, its {@code google_org_policy_custom_constraint} (defined on the
 * organisation, as custom constraints must be). As JSON: the Org Policy API v2 documents {@code gcloud org-policies
 * set-policy} and {@code set-custom-constraint} take. One file per playbook.
 */
final class GcpOrgPolicyRenderer {

    /** Custom constraint names: {@code custom.} and up to 70 letters and digits (Org Policy API reference). */
    static final Pattern CUSTOM = Pattern.compile("custom\\.[A-Za-z0-9]{1,70}");
    static final Pattern BUILT_IN = Pattern.compile("constraints/[a-z][A-Za-z0-9]*\\.[A-Za-z0-9.]+");

    private GcpOrgPolicyRenderer() {
    }

    static RenderedGuardrails render(GuardrailTarget target, List<Playbook> playbooks, List<RenderedGuardrails.Skipped> skipped,
                                     GuardrailOptions options) {
        SortedMap<String, String> files = new TreeMap<>();
        SortedSet<String> variables = new TreeSet<>();
        for (Playbook p : playbooks) {
            Placeholders placeholders = new Placeholders(options.parameters(), "fixgate_" + p.id());
            Documents docs = documents(p, target, placeholders);
            if (options.format() == GuardrailFormat.JSON) {
                if (!placeholders.unresolved().isEmpty()) {
                    throw new GuardrailException("guardrail.missing-parameter", "the guardrail of " + p.id()
                            + " needs " + String.join(", ", placeholders.unresolved()) + ": set guardrails.parameters."
                            + placeholders.unresolved().first() + " (or --param " + placeholders.unresolved().first()
                            + "=VALUE), or render Terraform, which declares a variable for it");
                }
                docs.constraint().ifPresent(c -> files.put(p.id() + ".constraint.json", Json.prettyInOrder(c) + "\n"));
                files.put(p.id() + ".policy.json", Json.prettyInOrder(docs.policy()) + "\n");
            } else {
                files.put(p.id() + ".tf", terraform(p, target, docs, placeholders));
                placeholders.unresolved().forEach(u -> variables.add(placeholders.variable(u)));
            }
        }
        return new RenderedGuardrails(target, options.format(), new TreeSet<>(playbooks.stream().map(Playbook::id).toList()),
                files, List.of(), skipped, variables);
    }

    /** The policy (API v2 JSON) and, for a custom constraint, the constraint; strings may hold unset parameters. */
    record Documents(String constraintName, Map<String, Object> policy, java.util.Optional<Map<String, Object>> constraint,
                     boolean listConstraint) {
    }

    @SuppressWarnings("unchecked")
    static Documents documents(Playbook p, GuardrailTarget target, Placeholders placeholders) {
        Map<String, Object> raw = p.guardrail().gcpOrgPolicy().orElseThrow();
        String where = p.folder() + "/playbook.yaml";
        String constraint = String.valueOf(raw.get("constraint"));
        boolean custom = CUSTOM.matcher(constraint).matches();
        if (!custom && !BUILT_IN.matcher(constraint).matches()) {
            throw invalid(where, "/guardrail/gcp_org_policy/constraint", "'" + constraint
                    + "' is neither constraints/<service>.<name> nor custom.<name>");
        }
        boolean enforce = Boolean.TRUE.equals(raw.get("enforce"));
        List<String> allowed = strings(raw.get("allowed_values"));
        List<String> denied = strings(raw.get("denied_values"));
        boolean list = !allowed.isEmpty() || !denied.isEmpty();
        if (list == (enforce || custom)) {
            throw invalid(where, "/guardrail/gcp_org_policy", "a boolean or custom constraint is enforced"
                    + " (enforce: true); a list constraint allows or denies values (allowed_values, denied_values)");
        }
        Map<String, Object> rule = new LinkedHashMap<>();
        if (list) {
            Map<String, Object> values = new LinkedHashMap<>();
            if (!allowed.isEmpty()) {
                values.put("allowedValues", placeholders.resolve(allowed));
            }
            if (!denied.isEmpty()) {
                values.put("deniedValues", placeholders.resolve(denied));
            }
            rule.put("values", values);
        } else {
            rule.put("enforce", true);
        }
        String shortName = custom ? constraint : constraint.substring("constraints/".length());
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("name", target.id() + "/policies/" + shortName);
        policy.put("spec", Map.of("rules", List.of(rule)));
        java.util.Optional<Map<String, Object>> customDoc = java.util.Optional.empty();
        if (custom) {
            if (!(raw.get("custom_constraint") instanceof Map<?, ?> c)) {
                throw invalid(where, "/guardrail/gcp_org_policy/custom_constraint", "a custom constraint needs its"
                        + " definition: resource_types, method_types, condition, action_type");
            }
            Map<String, Object> cc = (Map<String, Object>) c;
            String organization = target.kind() == GuardrailTarget.Kind.GCP_ORGANIZATION ? target.id()
                    : "organizations/<organization-id>";
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", placeholders.resolve(organization + "/customConstraints/" + constraint));
            doc.put("resourceTypes", strings(cc.get("resource_types")));
            doc.put("methodTypes", strings(cc.get("method_types")));
            doc.put("condition", String.valueOf(cc.get("condition")));
            doc.put("actionType", String.valueOf(cc.get("action_type")));
            doc.put("displayName", "fixgate: " + p.title());
            doc.put("description", p.guardrail().description());
            customDoc = java.util.Optional.of(doc);
        }
        return new Documents(shortName, policy, customDoc, list);
    }

    private static String terraform(Playbook p, GuardrailTarget target, Documents docs, Placeholders placeholders) {
        String name = "fixgate_" + p.id();
        StringBuilder b = new StringBuilder();
        b.append("# Managed by fixgate: the guardrail of playbook ").append(p.id()).append(" for GCP ").append(target)
                .append(".\n");
        for (String u : placeholders.unresolved()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("type", new Hcl.Raw("string"));
            v.put("description", u + " for the guardrail of " + p.id()
                    + " (set guardrails.parameters." + u + " to have fixgate fill it in)");
            b.append("\nvariable \"").append(placeholders.variable(u)).append("\" {\n").append(Hcl.attributes(v, 1))
                    .append("}\n");
        }
        Object constraintRef = docs.constraintName();
        if (docs.constraint().isPresent()) {
            Map<String, Object> c = docs.constraint().get();
            String full = String.valueOf(c.get("name") instanceof Placeholders.Template t ? "" : c.get("name"));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", docs.constraintName());
            a.put("parent", c.get("name") instanceof Placeholders.Template t ? parentOf(t)
                    : full.substring(0, full.indexOf("/customConstraints/")));
            a.put("display_name", c.get("displayName"));
            a.put("description", c.get("description"));
            a.put("action_type", c.get("actionType"));
            a.put("condition", c.get("condition"));
            a.put("method_types", c.get("methodTypes"));
            a.put("resource_types", c.get("resourceTypes"));
            b.append("\nresource \"google_org_policy_custom_constraint\" \"").append(name).append("\" {\n")
                    .append(Hcl.attributes(a, 1)).append("}\n");
            constraintRef = new Hcl.Raw("google_org_policy_custom_constraint." + name + ".name");
        }
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("name", constraintRef instanceof Hcl.Raw raw
                ? new Placeholders.Template(List.of(target.id() + "/policies/", raw))
                : target.id() + "/policies/" + constraintRef);
        policy.put("parent", target.id());
        b.append("\nresource \"google_org_policy_policy\" \"").append(name).append("\" {\n")
                .append(Hcl.attributes(policy, 1)).append("\n  spec {\n    rules {\n");
        @SuppressWarnings("unchecked")
        Map<String, Object> rule = (Map<String, Object>) ((List<Object>) ((Map<String, Object>) docs.policy().get("spec"))
                .get("rules")).getFirst();
        if (rule.get("values") instanceof Map<?, ?> values) {
            Map<String, Object> v = new LinkedHashMap<>();
            if (values.get("allowedValues") != null) {
                v.put("allowed_values", values.get("allowedValues"));
            }
            if (values.get("deniedValues") != null) {
                v.put("denied_values", values.get("deniedValues"));
            }
            b.append("      values {\n").append(Hcl.attributes(v, 4)).append("      }\n");
        } else {
            // the provider takes enforce as the string "TRUE" or "FALSE"
            b.append("      enforce = \"TRUE\"\n");
        }
        b.append("    }\n  }\n}\n");
        return b.toString();
    }

    /** The organisation part of a custom constraint's name that holds an unset parameter. */
    private static Placeholders.Template parentOf(Placeholders.Template name) {
        List<Object> parts = new ArrayList<>();
        for (Object part : name.parts()) {
            if (part instanceof String s && s.contains("/customConstraints/")) {
                parts.add(s.substring(0, s.indexOf("/customConstraints/")));
                break;
            }
            parts.add(part);
        }
        return new Placeholders.Template(parts);
    }

    private static List<String> strings(Object value) {
        if (value instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return value == null ? List.of() : List.of(String.valueOf(value));
    }

    private static GuardrailException invalid(String where, String pointer, String message) {
        return new GuardrailException("guardrail.invalid-gcp-policy", message, SourceLocation.of(where).withPointer(pointer));
    }
}
