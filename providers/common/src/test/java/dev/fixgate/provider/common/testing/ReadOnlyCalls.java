package dev.fixgate.provider.common.testing;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The read-only rule for evidence collectors, over bytecode (ArchUnit): from each collector class, every method its
 * code can reach inside fixgate (lambdas and method references included) is followed; every call that lands on a
 * cloud client ("a surface": an SDK client, or a hand-written REST client of ours) is an operation. Each operation
 * must be in {@code registry} (SDK method → the REST operation it sends, read-only by construction of the registry),
 * its method name must be a read verb (or a listed, justified exception), and the collector must declare that
 * operation in {@code reads()}. A declared operation that no code reaches is stale and reported too.
 *
 * <p>Calls that return another surface are accessors ({@code serviceClient()}, {@code getMetrics()},
 * {@code authenticate(…)}, builders) and are not operations; {@code close}-like lifecycle methods are skipped.
 */
public final class ReadOnlyCalls {

    /** Read verbs an operation's method name starts with. */
    public static final Pattern READ_VERB = Pattern.compile(
            "^(get|list|describe|lookup|head|search|query|filter|batchGet|select|iterateAll)([A-Z].*|)$");
    private static final Set<String> LIFECYCLE = Set.of("close", "shutdown", "shutdownNow", "awaitTermination",
            "isShutdown", "isTerminated", "getSettings", "getStub", "toString", "hashCode", "equals", "getOptions",
            // Azure's Manager<T>.serviceClient() returns T, erased to Object: an accessor all the same.
            "serviceClient");

    private final Predicate<String> surface;
    private final Map<String, String> registry;
    private final Map<String, String> verbExceptions;
    private final Set<String> fixgatePackages;

    /**
     * @param surface         whether a class (by name) is a cloud client surface
     * @param registry        {@code Owner.method} → the REST operation name ({@link ReadAction#operation()})
     * @param verbExceptions  {@code Owner.method} whose name is not a read verb but which only reads → why
     * @param fixgatePackages package prefixes whose code is followed (the provider module, providers/common)
     */
    public ReadOnlyCalls(Predicate<String> surface, Map<String, String> registry, Map<String, String> verbExceptions,
                         Set<String> fixgatePackages) {
        this.surface = surface;
        this.registry = registry;
        this.verbExceptions = verbExceptions;
        this.fixgatePackages = fixgatePackages;
    }

    /** The operations ({@code Owner.method(parameter types)}) reachable from {@code collector}'s class. */
    public Set<String> operations(JavaClasses classes, Class<?> collector) {
        Set<String> ops = new TreeSet<>();
        Deque<JavaCodeUnit> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        for (JavaClass c = classes.get(collector); c != null; c = c.getRawSuperclass().filter(s -> classes.contain(s.getName())).map(s -> classes.get(s.getName())).orElse(null)) {
            todo.addAll(c.getCodeUnits());
        }
        while (!todo.isEmpty()) {
            JavaCodeUnit unit = todo.pop();
            if (!seen.add(unit.getFullName())) {
                continue;
            }
            List<JavaAccess<?>> accesses = new ArrayList<>();
            accesses.addAll(unit.getCallsFromSelf());
            accesses.addAll(unit.getMethodReferencesFromSelf());
            accesses.addAll(unit.getConstructorReferencesFromSelf());
            for (JavaAccess<?> access : accesses) {
                JavaClass owner = access.getTargetOwner();
                String name = access.getTarget().getName();
                if (surface.test(owner.getName()) && !surface.test(unit.getOwner().getName())) {
                    String returns = access.getTarget() instanceof com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget t
                            ? t.getRawReturnType().getName() : "";
                    if (!name.equals("<init>") && !surface.test(returns) && !LIFECYCLE.contains(name)) {
                        ops.add(access.getTarget().getFullName());
                    }
                } else if (fixgatePackages.stream().anyMatch(p -> owner.getName().startsWith(p)) && classes.contain(owner.getName())) {
                    JavaClass target = classes.get(owner.getName());
                    // The target, and the lambdas javac compiled out of it (lambda$name$N), run when it does.
                    for (JavaCodeUnit cu : target.getCodeUnits()) {
                        if (cu.getName().equals(name) || cu.getName().startsWith("lambda$" + name + "$")) {
                            todo.push(cu);
                        }
                    }
                }
            }
        }
        return ops;
    }

    /** Everything wrong with {@code collector}: non-read operations, unknown ones, undeclared ones, stale declarations. */
    public List<String> violations(JavaClasses classes, EvidenceCollector collector) {
        List<String> out = new ArrayList<>();
        Set<String> declared = collector.reads().stream().map(ReadAction::operation).collect(Collectors.toCollection(TreeSet::new));
        Set<String> used = new LinkedHashSet<>();
        for (String full : operations(classes, collector.getClass())) {
            // Registry keys are Owner.method, or Owner.method(parameter types) where overloads send different requests.
            String op = full.substring(0, full.indexOf('('));
            String method = op.substring(op.lastIndexOf('.') + 1);
            if (!READ_VERB.matcher(method).matches() && !verbExceptions.containsKey(op)) {
                out.add(collector.id() + " calls " + op + ", whose name is not a read");
            }
            String operation = registry.containsKey(full) ? registry.get(full) : registry.get(op);
            if (operation == null) {
                out.add(collector.id() + " calls " + op + ", which is not a known read operation");
                continue;
            }
            used.add(operation);
            if (!declared.contains(operation)) {
                out.add(collector.id() + " calls " + op + " (" + operation + ") but does not declare it in reads()");
            }
        }
        for (String d : declared) {
            if (!used.contains(d)) {
                out.add(collector.id() + " declares " + d + " in reads() but no code of it calls that operation");
            }
        }
        return out;
    }
}
