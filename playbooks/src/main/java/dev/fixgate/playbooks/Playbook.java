package dev.fixgate.playbooks;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything fixgate knows about one misconfiguration: how to detect it in code, how to fix it, how risky the
 * fix is and what moves that risk, how to roll it back and which guardrail prevents it. Loaded from
 * {@code catalog/<cloud>/<id>/playbook.yaml} (schema: {@code docs/schema/playbook.schema.json}).
 *
 * @param formats       the IaC formats it covers, in the order declared ({@code terraform}, {@code cloudformation})
 * @param resourceTypes per format, the resource types it applies to
 * @param toolIds       per tool ({@code securityhub}, {@code prowler}, ...), the tool's ids for this problem
 * @param compliance    per framework ({@code nist_800_53_rev5}, ...), the control ids it helps satisfy
 * @param detect        per format, a CEL condition that is true when a resource is compliant
 * @param fix           per format, the patch operations that make a resource compliant, in order
 * @param params        configurable values (defaults), visible to {@code detect} as {@code params} and to fix
 *                      parameters as {@code ${params.name}}
 * @param declaredParams every parameter as declared (name, type, description, default, example: OpenRewrite's
 *                      {@code @Option} is the model), in manifest order; {@code params} holds their defaults
 * @param variantOf     for an alternative fix of the same control (SSE-KMS instead of SSE-S3): the primary's id
 * @param folder        where it was loaded from (for messages and fixtures); empty for in-memory playbooks
 * @param verify        how the deployed resource is checked after the fix is merged and deployed: live evidence the
 *                      fix must produce (empty: no live check, verification relies on the code and the finding
 *                      source)
 */
public record Playbook(String id, String title, Cloud cloud, Severity severity, String description,
                       List<String> formats, Map<String, List<String>> resourceTypes, List<ControlId> controls,
                       Map<String, List<String>> toolIds, Map<String, List<String>> compliance,
                       Map<String, String> detect, Map<String, List<FixStep>> fix, Risk risk, String blastRadius,
                       RollbackSpec rollback, Guardrails guardrail, Map<String, Object> params,
                       List<Param> declaredParams, Optional<String> variantOf, String folder, List<VerifyRule> verify) {

    public static final String TERRAFORM = "terraform";
    public static final String CLOUDFORMATION = "cloudformation";

    public Playbook {
        Objects.requireNonNull(id, "id");
        formats = List.copyOf(formats);
        resourceTypes = Map.copyOf(resourceTypes);
        controls = List.copyOf(controls);
        toolIds = Map.copyOf(toolIds);
        compliance = Map.copyOf(compliance);
        detect = Map.copyOf(detect);
        fix = Map.copyOf(fix);
        Objects.requireNonNull(risk, "risk");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(guardrail, "guardrail");
        params = Map.copyOf(params);
        declaredParams = List.copyOf(declaredParams);
        Objects.requireNonNull(variantOf, "variantOf");
        verify = List.copyOf(verify);
    }

    /** A playbook without a live check after merge. */
    public Playbook(String id, String title, Cloud cloud, Severity severity, String description, List<String> formats,
                    Map<String, List<String>> resourceTypes, List<ControlId> controls, Map<String, List<String>> toolIds,
                    Map<String, List<String>> compliance, Map<String, String> detect, Map<String, List<FixStep>> fix,
                    Risk risk, String blastRadius, RollbackSpec rollback, Guardrails guardrail,
                    Map<String, Object> params, List<Param> declaredParams, Optional<String> variantOf, String folder) {
        this(id, title, cloud, severity, description, formats, resourceTypes, controls, toolIds, compliance, detect, fix,
                risk, blastRadius, rollback, guardrail, params, declaredParams, variantOf, folder, List.of());
    }

    /** The types a parameter may declare. */
    public static final List<String> PARAM_TYPES = List.of("string", "integer", "boolean", "map", "list", "tf_value",
            "cfn_value");

    /**
     * One declared parameter.
     *
     * @param type         {@code string}, {@code integer}, {@code boolean}, {@code map}, {@code list}, {@code tf_value}
     *                     (a literal or a Terraform expression {@code {expr: ...}}), {@code cfn_value} (a literal or an
     *                     intrinsic function)
     * @param description  what it is for, for {@code fixgate playbooks show} and reviewers
     * @param defaultValue what the fix uses unless the repository sets it
     * @param example      a value a repository could set
     */
    public record Param(String name, String type, String description, Object defaultValue, Object example) {
        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(defaultValue, "defaultValue");
            Objects.requireNonNull(example, "example");
        }

        /** Whether {@code value} is of this parameter's type; empty when it is, else why not. */
        public Optional<String> check(Object value) {
            boolean ok = switch (type) {
                case "string" -> value instanceof String || value instanceof Number;
                case "integer" -> value instanceof Integer || value instanceof Long
                        || value instanceof String str && str.matches("-?\\d+");
                case "boolean" -> value instanceof Boolean;
                case "map" -> value instanceof Map<?, ?>;
                case "list" -> value instanceof List<?>;
                case "tf_value" -> value instanceof String || value instanceof Number || value instanceof Boolean
                        || value instanceof List<?>
                        || value instanceof Map<?, ?> m && m.size() == 1 && m.get("expr") instanceof String;
                case "cfn_value" -> value != null;
                default -> false;
            };
            return ok ? Optional.empty() : Optional.of(name + " must be a " + type + ", got " + value);
        }
    }

    /**
     * The parameters a fix or a condition sees: the declared defaults, overridden by {@code overrides} (the
     * repository's {@code playbooks.<id>.params}).
     *
     * @throws PlaybookException {@code playbook.param-invalid} for a parameter the playbook does not declare, or one
     *                           of the wrong type
     */
    public Map<String, Object> resolveParams(Map<String, Object> overrides) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>(params);
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            Optional<Param> p = declaredParams.stream().filter(d -> d.name().equals(e.getKey())).findFirst();
            if (p.isEmpty()) {
                throw new PlaybookException("playbook.param-invalid", "playbooks." + id + ".params." + e.getKey()
                        + " is not a parameter of " + id + " (it declares: "
                        + (params.isEmpty() ? "none" : String.join(", ", params.keySet())) + ")",
                        dev.fixgate.spi.error.SourceLocation.of(".github/fixgate.yml"));
            }
            Optional<String> wrong = p.get().check(e.getValue());
            if (wrong.isPresent()) {
                throw new PlaybookException("playbook.param-invalid", "playbooks." + id + ".params." + wrong.get(),
                        dev.fixgate.spi.error.SourceLocation.of(".github/fixgate.yml"));
            }
            Object v = e.getValue();
            merged.put(e.getKey(), p.get().type().equals("integer") && v instanceof String str ? Long.parseLong(str) : v);
        }
        return merged;
    }

    /** Whether it covers resources of {@code type} in {@code format}. */
    public boolean appliesTo(String format, String type) {
        return resourceTypes.getOrDefault(format, List.of()).contains(type);
    }

    /** One patch operation with its parameters, as written in {@code fix:}. */
    public record FixStep(String op, Map<String, Object> params) {
        public FixStep {
            Objects.requireNonNull(op, "op");
            params = Map.copyOf(params);
        }
    }

    /**
     * How risky the fix is by default and which evidence moves it.
     *
     * @param defaultLevel      the level when no evidence rule matches
     * @param actions           what kind of change it is: encryption, network, iam, delete, replace, logging,
     *                          tagging, config, access (policies key on these)
     * @param safeForProduction whether production resources may be fixed without approval
     * @param evidence          rules: when evidence of {@code kind} satisfies {@code when}, the fix is {@code level}
     */
    public record Risk(RciLevel defaultLevel, List<String> actions, boolean safeForProduction,
                       List<EvidenceRule> evidence) {
        public Risk {
            Objects.requireNonNull(defaultLevel, "defaultLevel");
            actions = List.copyOf(actions);
            evidence = List.copyOf(evidence);
        }
    }

    /**
     * One evidence rule.
     *
     * @param kind   evidence kind, e.g. {@code s3.http_requests_90d}
     * @param when   CEL over {@code value} (the evidence value)
     * @param level  the level this evidence argues for
     * @param reason a sentence for the reviewer; {@code {value}} is replaced by the observed value
     */
    public record EvidenceRule(String kind, String when, RciLevel level, String reason) {
        public EvidenceRule {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One check of the deployed resource after the fix is merged and deployed ({@code verify:} in the manifest): the
     * collectors read {@code kind} again, and the fix is in place when {@code when} holds.
     *
     * @param kind   evidence kind, e.g. {@code s3.secure_transport_enforced}
     * @param when   CEL over {@code value} (the evidence value): true when the resource is as the fix leaves it
     * @param reason a sentence saying what the check proves, e.g. "the bucket policy denies plain-HTTP requests"
     */
    public record VerifyRule(String kind, String when, String reason) {
        public VerifyRule {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(when, "when");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * How to undo the fix.
     *
     * @param forcesReplacement the change recreates the resource (never SAFE)
     * @param dataLoss          the change or its rollback can lose data (never SAFE)
     */
    public record RollbackSpec(String how, boolean forcesReplacement, boolean dataLoss) {
        public RollbackSpec {
            Objects.requireNonNull(how, "how");
        }
    }

    /**
     * The preventive control per cloud, as data the guardrail stage turns into deliverables: an AWS SCP statement,
     * an Azure Policy definition (or built-in id), a GCP organization policy constraint.
     */
    public record Guardrails(String description, Optional<Map<String, Object>> awsScp,
                             Optional<Map<String, Object>> azurePolicy, Optional<Map<String, Object>> gcpOrgPolicy) {
        public Guardrails {
            Objects.requireNonNull(description, "description");
            awsScp = awsScp.map(Map::copyOf);
            azurePolicy = azurePolicy.map(Map::copyOf);
            gcpOrgPolicy = gcpOrgPolicy.map(Map::copyOf);
        }
    }
}
