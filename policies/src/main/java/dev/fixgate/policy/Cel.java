package dev.fixgate.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.Map;

/**
 * The one place CEL is configured: standard macros ({@code has}, {@code exists}, {@code all}, {@code filter},
 * {@code map}), numbers compare across int and double (evidence from JSON can be either), and comprehensions
 * are capped so a user policy cannot spin. Expressions see exactly one variable, of dynamic type, whose
 * value is a tree of {@code Map}, {@code List}, {@code String}, {@code Long}, {@code Double} and {@code Boolean}.
 */
public final class Cel {

    private static final CelOptions OPTIONS = CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(10_000)
            .build();

    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private final String variable;
    private final CelCompiler compiler;

    private Cel(String variable) {
        this.variable = variable;
        this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(variable, SimpleType.DYN)
                .setResultType(SimpleType.BOOL)
                .build();
    }

    /** Boolean expressions over one dynamic variable, e.g. {@code input} for policies or {@code value} for evidence. */
    public static Cel over(String variable) {
        return new Cel(variable);
    }

    /** A compiled boolean expression. */
    public final class Condition {
        private final String source;
        private final CelRuntime.Program program;

        private Condition(String source, CelRuntime.Program program) {
            this.source = source;
            this.program = program;
        }

        public String source() {
            return source;
        }

        /**
         * @param value a CEL-compatible tree (see {@link CelValues#of(Object)})
         * @throws PolicyException with code {@code policy.eval-error} when evaluation fails or does not yield a boolean
         */
        public boolean test(Object value) {
            Object result;
            try {
                result = program.eval(Map.of(variable, value));
            } catch (CelEvaluationException | RuntimeException e) {
                throw new PolicyException("policy.eval-error", "cannot evaluate `" + source + "`: " + e.getMessage(), e);
            }
            if (result instanceof Boolean b) {
                return b;
            }
            throw new PolicyException("policy.eval-error", "`" + source + "` did not yield a boolean but " + result);
        }
    }

    /**
     * Parses and type-checks {@code expression}.
     *
     * @throws PolicyException with code {@code policy.invalid-condition} naming the problem
     */
    public Condition compile(String expression) {
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            throw new PolicyException("policy.invalid-condition", result.getErrorString());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Condition(expression, RUNTIME.createProgram(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new PolicyException("policy.invalid-condition", e.getMessage(), e);
        }
    }
}
