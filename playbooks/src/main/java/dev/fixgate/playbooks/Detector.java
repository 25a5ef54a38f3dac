package dev.fixgate.playbooks;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.error.SourceLocation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates playbooks' {@code detect} conditions (CEL) on {@link ModelResource}s. Variables:
 * <ul>
 *   <li>{@code resource} — the resource's body (attributes; nested blocks as lists of maps / CFN Properties)</li>
 *   <li>{@code type}, {@code name}, {@code address} — strings</li>
 *   <li>{@code companions} — type → bodies of the resources that reference this one</li>
 *   <li>{@code resources} — type → bodies of every resource of the module/template</li>
 *   <li>{@code params} — the playbook's parameters (defaults, or the repository's overrides)</li>
 * </ul>
 * A condition is true when the resource is compliant. Programs are compiled once per expression (per process).
 *
 * <p>Conditions are total ({@link TotalCel}): a field, index or value that is not there reads as absent instead
 * of failing the evaluation, so a condition written for one shape of a resource cannot error on another valid
 * shape. {@link Result.Error} remains for what is still undefined (arithmetic on absent values, a condition that
 * yields no boolean).
 */
public final class Detector {

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("resource", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("type", SimpleType.STRING)
            .addVar("name", SimpleType.STRING)
            .addVar("address", SimpleType.STRING)
            .addVar("companions", MapType.create(SimpleType.STRING, ListType.create(SimpleType.DYN)))
            .addVar("resources", MapType.create(SimpleType.STRING, ListType.create(SimpleType.DYN)))
            .addVar("params", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addFunctionDeclarations(TotalCel.declarations())
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addFunctionBindings(TotalCel.bindings())
            .build();

    /** Programs by expression, shared by every detector: compiling is the costly part and expressions are values. */
    private static final Map<String, CelRuntime.Program> PROGRAMS = new ConcurrentHashMap<>();

    /** Outcome of one condition on one resource. */
    public sealed interface Result {
        record Compliant() implements Result {
        }

        record NonCompliant() implements Result {
        }

        /** The condition could not be evaluated on this resource (a key it assumed is missing, a wrong type). */
        record Error(String message) implements Result {
        }
    }

    /** Compiles {@code expression}; a syntax or type error is a {@link PlaybookException} naming {@code where}. */
    public void check(String expression, SourceLocation where) {
        program(expression, where);
    }

    /**
     * Evaluates a playbook's condition for the resource's format on the resource.
     *
     * @param all every resource of the same module/template, for {@code resources}
     */
    public Result evaluate(Playbook playbook, ModelResource resource, List<ModelResource> all, Map<String, Object> params) {
        String expression = playbook.detect().get(resource.format());
        if (expression == null) {
            return new Result.Error("playbook " + playbook.id() + " has no detect condition for " + resource.format());
        }
        CelRuntime.Program p = program(expression, SourceLocation.of(playbook.folder() + "/playbook.yaml"));
        Map<String, List<Object>> byType = new LinkedHashMap<>();
        for (ModelResource r : all) {
            byType.computeIfAbsent(r.type(), k -> new ArrayList<>()).add(r.body());
        }
        Map<String, Object> merged;
        try {
            merged = playbook.resolveParams(params);
        } catch (PlaybookException e) {
            return new Result.Error(e.getMessage());
        }
        Map<String, Object> vars = Map.of(
                "resource", resource.body(),
                "type", resource.type(),
                "name", resource.name(),
                "address", resource.address(),
                "companions", resource.companions(),
                "resources", byType,
                "params", merged);
        try {
            Object v = p.eval(vars);
            return Boolean.TRUE.equals(v) ? new Result.Compliant() : new Result.NonCompliant();
        } catch (CelEvaluationException | RuntimeException e) {
            return new Result.Error(String.valueOf(e.getMessage()).lines().findFirst().orElse("evaluation failed"));
        }
    }

    private CelRuntime.Program program(String expression, SourceLocation where) {
        CelRuntime.Program cached = PROGRAMS.get(expression);
        if (cached != null) {
            return cached;
        }
        try {
            CelAbstractSyntaxTree parsed = COMPILER.parse(expression).getAst();
            CelAbstractSyntaxTree total = CelAbstractSyntaxTree.newParsedAst(TotalCel.rewrite(parsed.getExpr()),
                    parsed.getSource());
            CelAbstractSyntaxTree ast = COMPILER.check(total).getAst();
            CelRuntime.Program p = RUNTIME.createProgram(ast);
            PROGRAMS.put(expression, p);
            return p;
        } catch (CelValidationException e) {
            throw new PlaybookException("playbook.detect-invalid", "detect condition does not compile: "
                    + e.getMessage().lines().findFirst().orElse(""), where, e);
        } catch (CelEvaluationException e) {
            throw new PlaybookException("playbook.detect-invalid", "detect condition cannot be planned: "
                    + e.getMessage(), where, e);
        }
    }
}
