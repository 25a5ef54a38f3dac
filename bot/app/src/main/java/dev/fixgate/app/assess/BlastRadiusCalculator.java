package dev.fixgate.app.assess;

import dev.fixgate.app.enrich.Observation;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.assess.BlastRadius;
import dev.fixgate.spi.assess.BlastScope;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ResourceRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a change to one resource reaches, from the IaC graph of its module (or template) and the evidence.
 *
 * <ul>
 *   <li>Resources: the resource itself plus everything that references it, followed transitively inside the
 *       module (a bucket ← its policy ← …). Module calls count as one resource each; outputs are listed as
 *       references (other stacks may read them through remote state), not counted.</li>
 *   <li>Instances: each reached resource's multiplicity ({@code count = 3} → 3, {@code for_each} over a literal
 *       list or map → its size), summed; at least the network interfaces attached to it (evidence).</li>
 *   <li>Incomplete: a {@code count}/{@code for_each} over a variable, or a local value that references the
 *       resource (its users are not followed) makes the numbers a lower bound, and says so.</li>
 * </ul>
 */
public final class BlastRadiusCalculator {

    /** The numbers and the list a reviewer reads. */
    public record Report(int resources, int instances, List<String> references, boolean complete,
                         List<ResourceRef> affected) {
        public Report {
            references = List.copyOf(references);
            affected = List.copyOf(affected);
        }

        /** As the SPI value carried on gate inputs and PR bodies. */
        public BlastRadius toSpi() {
            BlastScope scope = resources <= 1 && instances <= 1 ? BlastScope.RESOURCE : BlastScope.SERVICE;
            return new BlastRadius(scope, affected, references);
        }
    }

    private static final Pattern INT = Pattern.compile("\\d{1,6}");
    private static final Pattern LITERAL_LIST = Pattern.compile("(?s)^(?:toset\\()?\\s*\\[(.*)]\\s*\\)?$");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final int MAX_REACHED = 500;

    private BlastRadiusCalculator() {
    }

    /**
     * @param target   the changed resource's address; empty when it was not found in code
     * @param module   every resource of its module or template
     * @param evidence per kind, the newest observation about the resource
     */
    public static Report compute(String target, List<ModelResource> module, Map<String, Observation> evidence) {
        Map<String, ModelResource> byAddress = new LinkedHashMap<>();
        module.forEach(r -> byAddress.put(r.address(), r));
        List<String> references = new ArrayList<>();
        List<ResourceRef> affected = new ArrayList<>();
        boolean complete = true;
        int resources = 1;
        int instances = 0;

        ModelResource self = byAddress.get(target);
        if (self == null) {
            references.add("the resource was not found in code, so nothing that references it could be counted");
            complete = false;
            instances = 1;
        } else {
            Set<String> seen = new LinkedHashSet<>();
            seen.add(self.address());
            Deque<ModelResource> queue = new ArrayDeque<>();
            queue.add(self);
            Instances selfCount = instances(self);
            instances += selfCount.count();
            if (!selfCount.known()) {
                complete = false;
                references.add(self.address() + ": " + self.multiplicity() + " (instances unknown)");
            } else if (self.repeated()) {
                references.add(self.address() + ": " + self.multiplicity() + " → " + selfCount.count() + " instances");
            }
            while (!queue.isEmpty() && seen.size() < MAX_REACHED) {
                ModelResource r = queue.poll();
                for (String by : r.referencedBy()) {
                    if (!seen.add(by)) {
                        continue;
                    }
                    String via = r == self ? "" : " (via " + r.address() + ")";
                    ModelResource next = byAddress.get(by);
                    if (next != null) {
                        resources++;
                        Instances n = instances(next);
                        instances += n.count();
                        complete &= n.known();
                        references.add(by + " references it" + via
                                + (next.repeated() ? "; " + next.multiplicity() + (n.known() ? "" : " (instances unknown)") : ""));
                        affected.add(new CodeResource("", next.file(), next.address(), next.type(), next.line()));
                        queue.add(next);
                    } else if (by.startsWith("module.")) {
                        resources++;
                        references.add(by + " receives it" + via + " (the module's own resources are not counted)");
                    } else if (by.startsWith("output.") || by.startsWith("Outputs.")) {
                        references.add(by + " exposes it" + via + " (other stacks may read it through remote state)");
                    } else if (by.equals("locals")) {
                        complete = false;
                        references.add("a local value references it" + via + "; what uses that local is not followed");
                    } else {
                        references.add(by + " references it" + via);
                    }
                }
            }
            if (seen.size() >= MAX_REACHED) {
                complete = false;
                references.add("stopped counting at " + MAX_REACHED + " references");
            }
        }
        Optional<Integer> attached = attachedInterfaces(evidence);
        if (attached.isPresent()) {
            references.add(attached.get() + " network interface" + (attached.get() == 1 ? "" : "s")
                    + " attached (evidence)");
            instances = Math.max(instances, attached.get());
        }
        if (evidence.get(EvidenceKinds.DEPENDENTS) instanceof Observation o && o.value() instanceof List<?> deps) {
            for (Object d : deps) {
                references.add(d + " depends on it (evidence)");
            }
            resources += deps.size();
        }
        if (evidence.get(EvidenceKinds.ENVIRONMENT) instanceof Observation o) {
            references.add("environment: " + o.value() + " (evidence)");
        }
        return new Report(Math.max(1, resources), Math.max(1, instances), references, complete, affected);
    }

    record Instances(int count, boolean known) {
    }

    /** {@code single} → 1; {@code count = 3} → 3; {@code for_each = ["a","b"]} / {@code toset([...])} / a literal map → its size. */
    static Instances instances(ModelResource r) {
        String m = r.multiplicity();
        if (m.equals("single")) {
            return new Instances(1, true);
        }
        if (m.startsWith("count = ")) {
            String expr = m.substring("count = ".length()).strip();
            if (INT.matcher(expr).matches()) {
                return new Instances(Integer.parseInt(expr), true);
            }
            Matcher cond = Pattern.compile("^.+\\?\\s*(\\d{1,6})\\s*:\\s*(\\d{1,6})$").matcher(expr);
            if (cond.matches()) {
                return new Instances(Math.max(Integer.parseInt(cond.group(1)), Integer.parseInt(cond.group(2))), true);
            }
            return new Instances(1, false);
        }
        if (m.startsWith("for_each = ")) {
            String expr = m.substring("for_each = ".length()).strip();
            Matcher list = LITERAL_LIST.matcher(expr);
            if (list.matches()) {
                String items = list.group(1).strip();
                String rest = STRING.matcher(items).replaceAll("").replaceAll("[,\\s]", "");
                if (rest.isEmpty()) {
                    return new Instances(Math.max(1, (int) STRING.matcher(items).results().count()), true);
                }
            }
            if (r.body().get("for_each") instanceof Map<?, ?> literal && !literal.isEmpty()) {
                return new Instances(literal.size(), true);
            }
            return new Instances(1, false);
        }
        return new Instances(1, false);
    }

    private static Optional<Integer> attachedInterfaces(Map<String, Observation> evidence) {
        Observation o = evidence.get(EvidenceKinds.SG_ATTACHED_INTERFACES);
        if (o == null) {
            return Optional.empty();
        }
        return switch (o.value()) {
            case Long n -> Optional.of((int) Math.min(n, Integer.MAX_VALUE));
            case List<?> l -> Optional.of(l.size());
            default -> Optional.empty();
        };
    }
}
