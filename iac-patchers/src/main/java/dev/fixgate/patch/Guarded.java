package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Any operation with guards that decide whether its setting applies to the target at all. When it does not,
 * the result is already-compliant and the file is untouched. Guards come from what the finding means, not
 * from the edit: KMS rotation does not apply to asymmetric keys ({@code unless: {customer_master_key_spec:
 * [RSA_2048, ...]}}), storage encryption not to Aurora instances ({@code unless: {Engine: [aurora, ...]}}),
 * and "public ACL overridden by a public access block" applies only where an access block really overrides it
 * ({@code only_if_companion}). The registry adds the guards to whatever operation a playbook names, so no
 * operation re-implements them.
 *
 * @param inner           the guarded operation
 * @param unless          attribute → values that make the operation not apply ({@code "*"}: is set at all;
 *                        {@code "*.amazonaws.com"}: ends with {@code .amazonaws.com}; {@code "\\*"}: is {@code *})
 * @param onlyIf          attribute → values the target must have for the operation to apply (same patterns)
 * @param onlyIfCompanion Terraform: a companion resource that must point at the target's owner, with values
 */
public record Guarded(PatchOperation inner, Map<String, List<String>> unless, Map<String, List<String>> onlyIf,
                      List<CompanionCondition> onlyIfCompanion) implements PatchOperation {

    /** Parameter names the registry strips from an operation's parameters and turns into a guard. */
    static final List<String> KEYS = List.of("unless", "only_if", "only_if_companion");

    /**
     * A companion of {@code type} whose {@code ownerAttribute} points at the target's owner must exist with
     * {@code attributes}.
     */
    public record CompanionCondition(String type, String ownerAttribute, Map<String, List<String>> attributes) {
        public CompanionCondition {
            attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        }
    }

    public Guarded {
        unless = Collections.unmodifiableMap(new LinkedHashMap<>(unless));
        onlyIf = Collections.unmodifiableMap(new LinkedHashMap<>(onlyIf));
        onlyIfCompanion = List.copyOf(onlyIfCompanion);
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public Set<IacFormat> formats() {
        return inner.formats();
    }

    @Override
    public PatchResult apply(SourceFile file, ResourceSelector target) {
        return apply(file, target, PatchContext.none());
    }

    @Override
    public PatchResult apply(SourceFile file, ResourceSelector target, PatchContext context) {
        for (Map.Entry<String, List<String>> g : unless.entrySet()) {
            Optional<String> v = attribute(file, target, g.getKey());
            if (v.isPresent() && matches(g.getValue(), v.get())) {
                return new PatchResult.AlreadyCompliant("does not apply: " + g.getKey() + " is " + v.get());
            }
        }
        for (Map.Entry<String, List<String>> g : onlyIf.entrySet()) {
            Optional<String> v = attribute(file, target, g.getKey());
            if (v.isEmpty() || !matches(g.getValue(), v.get())) {
                return new PatchResult.AlreadyCompliant("does not apply: " + g.getKey() + " is "
                        + v.orElse("not set") + ", not " + g.getValue());
            }
        }
        for (CompanionCondition c : onlyIfCompanion) {
            if (file.format() != IacFormat.TERRAFORM) {
                return new PatchResult.CannotPatch(Outcomes.NOT_APPLICABLE, "only_if_companion applies to Terraform only",
                        SourceLocation.of(file.path()));
            }
            boolean present = TargetReader.of(file.format()).companions(file, target, context, c.type(), c.ownerAttribute()).stream()
                    .anyMatch(attrs -> c.attributes().entrySet().stream()
                            .allMatch(e -> attrs.containsKey(e.getKey()) && matches(e.getValue(), attrs.get(e.getKey()))));
            if (!present) {
                return new PatchResult.AlreadyCompliant("does not apply: no " + c.type() + " with " + c.attributes()
                        + " points at this resource's " + c.ownerAttribute());
            }
        }
        return inner.apply(file, target, context);
    }

    private static Optional<String> attribute(SourceFile file, ResourceSelector target, String name) {
        return TargetReader.of(file.format()).attribute(file, target, name);
    }

    /**
     * {@code "*"}: any value; {@code "*.suffix"}: any value ending in {@code .suffix} (service principals);
     * {@code "\\*"}: the value is literally {@code *} (a Lambda principal for everyone); otherwise exact.
     */
    static boolean matches(List<String> allowed, String value) {
        for (String a : allowed) {
            if (a.equals("*") || a.equals(value) || a.startsWith("*.") && value.endsWith(a.substring(1))
                    || a.startsWith("\\") && a.substring(1).equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** Wraps {@code inner} in the guards named in {@code params}; {@code inner} itself when there are none. */
    static PatchOperation wrap(PatchOperation inner, Params p, Map<String, ?> params) {
        Map<String, List<String>> unless = params.containsKey("unless") ? values(p, "unless", params.get("unless")) : Map.of();
        Map<String, List<String>> onlyIf = params.containsKey("only_if") ? values(p, "only_if", params.get("only_if")) : Map.of();
        List<CompanionCondition> companions = new ArrayList<>();
        Object raw = params.get("only_if_companion");
        if (raw != null) {
            if (!(raw instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("owner_attribute") instanceof String owner) || !m.containsKey("attributes")) {
                throw p.invalid("'only_if_companion' needs type, owner_attribute and attributes");
            }
            if (!m.keySet().stream().allMatch(k -> List.of("type", "owner_attribute", "attributes").contains(k))) {
                throw p.invalid("'only_if_companion' takes only type, owner_attribute and attributes");
            }
            companions.add(new CompanionCondition(type, owner, values(p, "only_if_companion.attributes", m.get("attributes"))));
        }
        return unless.isEmpty() && onlyIf.isEmpty() && companions.isEmpty() ? inner
                : new Guarded(inner, unless, onlyIf, companions);
    }

    /** Reads an attribute → value(s) map. */
    static Map<String, List<String>> values(Params p, String name, Object raw) {
        if (!(raw instanceof Map<?, ?> m) || m.isEmpty()) {
            throw p.invalid("'" + name + "' must be a non-empty map of attribute: value(s)");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v instanceof List<?> l && !l.isEmpty()) {
                out.put(String.valueOf(k), l.stream().map(String::valueOf).toList());
            } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                out.put(String.valueOf(k), List.of(String.valueOf(v)));
            } else {
                throw p.invalid("'" + name + "." + k + "' must be a scalar or a non-empty list");
            }
        });
        return out;
    }
}
