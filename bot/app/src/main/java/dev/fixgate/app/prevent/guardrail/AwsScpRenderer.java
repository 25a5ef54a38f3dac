package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * AWS: the playbooks' SCP statements for one root, OU or account, merged and packed ({@link ScpPacker}) into as few
 * policies as the quotas allow, written as Terraform ({@code aws_organizations_policy} with the document in
 * {@code jsonencode}, which sends it minified, and an {@code aws_organizations_policy_attachment} per policy) or as
 * the minified policy JSON itself. Both come with {@value #MANIFEST}: which playbooks the policies carry and each
 * policy's size and room left, which is how a later delivery for the same target knows what is already there.
 */
final class AwsScpRenderer {

    static final String MANIFEST = "fixgate-guardrails.json";
    static final String TERRAFORM_FILE = "fixgate_guardrails.tf";
    /** AWS Organizations limits a policy description to 512 characters. */
    private static final int MAX_DESCRIPTION = 512;

    private AwsScpRenderer() {
    }

    static RenderedGuardrails render(GuardrailTarget target, List<Playbook> playbooks, List<RenderedGuardrails.Skipped> skipped,
                                     GuardrailOptions options) {
        List<ScpStatement> statements = new ArrayList<>();
        for (Playbook p : playbooks) {
            statements.add(ScpStatement.of(p.id(), p.guardrail().awsScp().orElseThrow(), p.folder() + "/playbook.yaml"));
        }
        List<ScpPolicy> policies = ScpPacker.pack(statements, "fixgate-guardrails-" + target.slug(),
                options.awsPoliciesPerTarget());
        TreeSet<String> ids = new TreeSet<>(playbooks.stream().map(Playbook::id).toList());
        SortedMap<String, String> files = new TreeMap<>();
        if (options.format() == GuardrailFormat.TERRAFORM) {
            files.put(TERRAFORM_FILE, terraform(target, policies, ids, options));
        } else {
            for (ScpPolicy p : policies) {
                files.put(p.name() + ".json", p.minified());
            }
        }
        files.put(MANIFEST, manifest(target, policies, ids, options));
        return new RenderedGuardrails(target, options.format(), ids, files, policies, skipped, new TreeSet<>());
    }

    private static String terraform(GuardrailTarget target, List<ScpPolicy> policies, TreeSet<String> ids,
                                    GuardrailOptions options) {
        StringBuilder b = new StringBuilder();
        b.append("# Managed by fixgate: service control policies for AWS ").append(target).append(".\n")
                .append("# Rendered from the guardrails of ").append(ids.size()).append(" playbooks (").append(MANIFEST)
                .append(" lists them); fixgate rewrites this file\n# when it adds one, so change the playbooks,"
                        + " not this file.\n")
                .append("# jsonencode sends each document minified, which is how AWS counts it against the ")
                .append(String.format(Locale.ROOT, "%,d", ScpPolicy.MAX_CHARACTERS)).append("-character quota:\n");
        for (ScpPolicy p : policies) {
            b.append(String.format(Locale.ROOT, "#   %s: %,d characters, %,d left%n", p.name(), p.size(), p.room()));
        }
        b.append("# ").append(policies.size()).append(" of the ").append(options.awsPoliciesPerTarget())
                .append(" SCPs fixgate may attach here (AWS allows ").append(ScpPolicy.MAX_PER_TARGET)
                .append(" per root, OU or account; FullAWSAccess takes one).\n");
        for (ScpPolicy p : policies) {
            String name = "fixgate_" + target.terraformName() + "_" + p.name().substring(p.name().lastIndexOf('-') + 1);
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("name", p.name());
            policy.put("description", description(p));
            policy.put("type", "SERVICE_CONTROL_POLICY");
            policy.put("content", new Hcl.Raw("jsonencode(" + Hcl.value(p.document(), 1) + ")"));
            b.append("\nresource \"aws_organizations_policy\" \"").append(name).append("\" {\n")
                    .append(Hcl.attributes(policy, 1)).append("}\n");
            Map<String, Object> attachment = new LinkedHashMap<>();
            attachment.put("policy_id", new Hcl.Raw("aws_organizations_policy." + name + ".id"));
            attachment.put("target_id", target.id());
            b.append("\nresource \"aws_organizations_policy_attachment\" \"").append(name).append("\" {\n")
                    .append(Hcl.attributes(attachment, 1)).append("}\n");
        }
        return b.toString();
    }

    private static String description(ScpPolicy p) {
        String all = "fixgate guardrails: " + String.join(", ", p.sources());
        return all.length() <= MAX_DESCRIPTION ? all
                : "fixgate guardrails of " + p.sources().size() + " playbooks (see " + MANIFEST + ")";
    }

    private static String manifest(GuardrailTarget target, List<ScpPolicy> policies, TreeSet<String> ids,
                                   GuardrailOptions options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("generated_by", "fixgate");
        m.put("cloud", "aws");
        m.put("target", target.id());
        m.put("format", options.format().id());
        m.put("playbooks", List.copyOf(ids));
        m.put("policies_per_target", options.awsPoliciesPerTarget());
        m.put("policies", policies.stream().map(ScpPolicy::summary).toList());
        return Json.prettyInOrder(m) + "\n";
    }

    /** The policy files a manifest says were written in {@code format}: none for Terraform's one file. */
    static List<String> policyFilesIn(String manifest, GuardrailFormat format) {
        if (format != GuardrailFormat.JSON) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            Json.mapper().readTree(manifest).path("policies").forEach(n -> out.add(n.path("name").asText() + ".json"));
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GuardrailException("guardrail.bad-manifest", MANIFEST + " is not JSON: " + e.getOriginalMessage());
        }
    }

    /** The playbooks a manifest written by {@link #manifest} lists; empty for a text that is not one. */
    static List<String> playbooksIn(String manifest) {
        try {
            var node = Json.mapper().readTree(manifest);
            List<String> out = new ArrayList<>();
            node.path("playbooks").forEach(n -> out.add(n.asText()));
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GuardrailException("guardrail.bad-manifest", MANIFEST + " is not JSON: " + e.getOriginalMessage());
        }
    }
}
