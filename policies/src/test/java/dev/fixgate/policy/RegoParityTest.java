package dev.fixgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * No OPA binary runs here (CI runs {@code opa test policies/opa}); this keeps the example Rego from drifting away
 * from the built-ins: every built-in policy has a Rego rule of the same id, and the Rego tests' input has every
 * key of the decision input.
 */
class RegoParityTest {

    @Test
    void everyBuiltInPolicyHasARegoRuleAndTheTestInputHasEveryKey() throws IOException {
        String rego = Files.readString(Path.of("opa/fixgate.rego"));
        String tests = Files.readString(Path.of("opa/fixgate_test.rego"));
        for (Policy p : PolicySet.builtIn().policies()) {
            assertThat(rego).as(p.id()).contains("hit(\"" + p.id() + "\", \"" + p.message() + "\", \""
                    + p.onDeny().name().toLowerCase(java.util.Locale.ROOT) + "\")");
            assertThat(tests).as(p.id()).contains("\"" + p.id() + "\"");
        }
        for (String key : Inputs.safe().toMap().keySet()) {
            assertThat(tests).as(key).contains("\"" + key + "\":");
        }
    }
}
