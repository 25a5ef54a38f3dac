package dev.fixgate.patch;

import dev.fixgate.patch.cloudformation.CfnTargets;
import dev.fixgate.patch.terraform.TfTargets;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Any operation with an {@code unless:} guard: when the target resource's top-level attribute (Terraform) or
 * property (CloudFormation) has one of the listed literal values ({@code "*"}: is set at all), the setting does
 * not apply and the result is already-compliant. KMS rotation does not apply to asymmetric keys
 * ({@code customer_master_key_spec: [RSA_2048, ...]}), storage encryption not to Aurora instances
 * ({@code Engine: [aurora, ...]}), {@code storage_encrypted} is implied by {@code kms_key_id: "*"}.
 * The registry adds the guard to whatever operation a playbook names, so no operation re-implements it.
 *
 * @param inner  the guarded operation
 * @param unless attribute → values that make the operation not apply
 */
public record Guarded(PatchOperation inner, Map<String, List<String>> unless) implements PatchOperation {

    public Guarded {
        unless = Collections.unmodifiableMap(new LinkedHashMap<>(unless));
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
            Optional<String> v = file.format() == IacFormat.TERRAFORM ? TfTargets.attribute(file, target, g.getKey())
                    : CfnTargets.property(file, target, g.getKey());
            if (v.isPresent() && (g.getValue().contains("*") || g.getValue().contains(v.get()))) {
                return new PatchResult.AlreadyCompliant("does not apply: " + g.getKey() + " is " + v.get());
            }
        }
        return inner.apply(file, target, context);
    }

    /** Reads an {@code unless:} parameter: attribute → a value or a list of values. */
    static Map<String, List<String>> parse(Params p, Object raw) {
        if (!(raw instanceof Map<?, ?> m) || m.isEmpty()) {
            throw p.invalid("'unless' must be a non-empty map of attribute: value(s)");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v instanceof List<?> l && !l.isEmpty()) {
                out.put(String.valueOf(k), l.stream().map(String::valueOf).toList());
            } else if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                out.put(String.valueOf(k), List.of(String.valueOf(v)));
            } else {
                throw p.invalid("'unless." + k + "' must be a scalar or a non-empty list");
            }
        });
        return out;
    }
}
