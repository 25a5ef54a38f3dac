package dev.fixgate.app.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the set, fed secrets generated from its own pattern: redaction removes each of them from the text
 * around it, wherever it sits (a title, an id, a resource name), whatever other secrets sit next to it.
 */
class SecretRulesPropertiesTest {

    @Test
    void aSecretCanBeGeneratedForEveryRule() {
        Map<String, Map.Entry<String, String>> samples = SecretSamples.everyRule(18);
        assertThat(SecretSamples.ruleIds()).allSatisfy(id -> assertThat(samples).as("a sample for " + id).containsKey(id));
    }

    @Provide
    Arbitrary<String> rules() {
        return Arbitraries.of(SecretSamples.ruleIds());
    }

    @Property(tries = 600)
    void noSecretOfAnyRuleSurvivesRedactionWhereverItSits(@ForAll("rules") String ruleId, @ForAll long seed,
            @ForAll("places") String place) {
        SecretRules.Rule rule = SecretRules.standard().rules().stream().filter(r -> r.id().equals(ruleId)).findFirst()
                .orElseThrow();
        var sample = SecretSamples.sample(rule, new Random(seed), 300).orElseThrow();
        String text = place.replace("%s", sample.getKey());

        String redacted = Redactor.redact(text);

        assertThat(redacted).as("%s in %s", ruleId, text).doesNotContain(sample.getValue());
    }

    /**
     * Where a secret sits. Each has whitespace, a quote or an end on both sides: where gitleaks' rules end a secret
     * (most require one of {@code ` ' " ; whitespace} or an end around it, so that a longer token is not cut).
     */
    @Provide
    Arbitrary<String> places() {
        return Arbitraries.of(List.of(
                "%s",
                "S3 bucket %s is public",                          // a title
                "run-42: %s 1",                                    // an id
                "arn:aws:s3:::acme %s logs",                       // a resource name
                "Description: the user data holds %s\nand more",   // a description over lines
                "{\"Title\": \"x\", \"Note\": \" %s \"}",            // quoted in JSON
                "%s %s"));                                         // twice
    }
}
