package dev.fixgate.playbooks;

import dev.fixgate.patch.OperationRegistry;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies a playbook's {@code fix} steps to one resource, in memory, all or nothing: the steps run in order on
 * the output of the previous one (and on the module files earlier steps changed); the first refusal refuses the
 * whole fix, so a half-applied fix never exists.
 */
public final class Fixer {

    private static final Pattern PARAM = Pattern.compile("^\\$\\{params\\.([A-Za-z_][A-Za-z0-9_]*)}$");

    private final OperationRegistry registry;

    public Fixer(OperationRegistry registry) {
        this.registry = registry;
    }

    public static Fixer standard() {
        return new Fixer(OperationRegistry.load());
    }

    /** The operations of a playbook's fix for {@code format}, built (and so validated) with parameters filled in. */
    public List<PatchOperation> operations(Playbook playbook, String format, Map<String, Object> params) {
        List<Playbook.FixStep> steps = playbook.fix().get(format);
        if (steps == null) {
            throw new PlaybookException("playbook.no-fix", "playbook " + playbook.id() + " has no fix for " + format,
                    SourceLocation.of(playbook.folder() + "/playbook.yaml"));
        }
        Map<String, Object> merged = playbook.resolveParams(params);
        List<PatchOperation> ops = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Playbook.FixStep s = steps.get(i);
            String where = "/fix/" + format + "/" + i;
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> filled = (Map<String, Object>) substitute(s.params(), merged, where, playbook);
                ops.add(registry.create(s.op(), filled));
            } catch (PlaybookException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new PlaybookException("playbook.fix-invalid", where + ": " + e.getMessage(),
                        SourceLocation.of(playbook.folder() + "/playbook.yaml"), e);
            }
        }
        return ops;
    }

    /** Applies the fix; {@link PatchResult.Changed#otherFiles()} carries the final text of every other changed file. */
    public PatchResult apply(Playbook playbook, String format, SourceFile file, ResourceSelector target,
                             PatchContext context, Map<String, Object> params) {
        return apply(playbook, format, file, target, context, params, "");
    }

    /**
     * Applies the fix to a resource of {@code resourceType}: a step whose {@code resource_types} do not name that type
     * is skipped, so a playbook covering several types (a standalone NSG rule and an NSG's inline rules, a launch
     * template and a launch configuration) lists a step per type. With an empty type every step runs, and a step for
     * another type refuses ({@code patch.not-applicable}).
     */
    public PatchResult apply(Playbook playbook, String format, SourceFile file, ResourceSelector target,
                             PatchContext context, Map<String, Object> params, String resourceType) {
        List<PatchOperation> ops = operations(playbook, format, params);
        List<Playbook.FixStep> steps = playbook.fix().get(format);
        if (!resourceType.isEmpty()) {
            List<PatchOperation> kept = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                Object types = steps.get(i).params().get("resource_types");
                if (!(types instanceof List<?> l) || l.isEmpty() || l.contains(resourceType)) {
                    kept.add(ops.get(i));
                }
            }
            if (kept.isEmpty()) {
                return new PatchResult.CannotPatch(dev.fixgate.patch.Outcomes.NOT_APPLICABLE, "no step of "
                        + playbook.id() + "'s fix applies to " + resourceType, SourceLocation.of(file.path()));
            }
            ops = kept;
        }
        SourceFile current = file;
        Map<String, SourceFile> module = new LinkedHashMap<>();
        context.moduleFiles().forEach(f -> module.put(f.path(), f));
        Map<String, SourceFile> changedOthers = new LinkedHashMap<>();
        List<String> summaries = new ArrayList<>();
        List<String> compliant = new ArrayList<>();
        for (PatchOperation op : ops) {
            PatchResult r = op.apply(current, target, new PatchContext(List.copyOf(module.values())));
            switch (r) {
                case PatchResult.CannotPatch c -> {
                    return c;
                }
                case PatchResult.AlreadyCompliant a -> compliant.add(a.reason());
                case PatchResult.Changed c -> {
                    current = new SourceFile(current.path(), c.text(), current.format());
                    summaries.add(c.summary());
                    for (SourceFile o : c.otherFiles()) {
                        module.put(o.path(), o);
                        changedOthers.put(o.path(), o);
                    }
                }
            }
        }
        if (summaries.isEmpty()) {
            return new PatchResult.AlreadyCompliant(String.join("; ", compliant));
        }
        return new PatchResult.Changed(current.text(), String.join("; ", summaries), List.copyOf(changedOthers.values()));
    }

    private static Object substitute(Object v, Map<String, Object> params, String where, Playbook playbook) {
        if (v instanceof String s) {
            Matcher m = PARAM.matcher(s);
            if (m.matches()) {
                if (!params.containsKey(m.group(1))) {
                    throw new PlaybookException("playbook.unknown-param", where + ": ${params." + m.group(1)
                            + "} is not declared under params", SourceLocation.of(playbook.folder() + "/playbook.yaml"));
                }
                return params.get(m.group(1));
            }
            return s;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), substitute(x, params, where, playbook)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(substitute(x, params, where, playbook)));
            return out;
        }
        return v;
    }
}
