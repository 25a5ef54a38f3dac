package dev.fixgate.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What NIST's JSON Schema cannot say about a document, checked beside it. */
class OscalSchemaTest {

    @Test
    void aReferenceToAnUndefinedUuidIsAProblemTheSchemaAloneWouldMiss() {
        assertThat(OscalSchema.danglingReferences("""
                {"a": {"uuid": "u1", "subjects": [{"subject-uuid": "u1"}, {"subject-uuid": "u2"}]},
                 "b": {"href": "#u1"}, "c": {"href": "#u3"}, "d": {"href": "https://example.com/#x"}}"""))
                .containsExactly("subject-uuid u2 is not defined in the document", "href #u3 is not defined in the document");
    }

    @Test
    void anEmptyObjectIsNotAssessmentResults() {
        assertThat(OscalSchema.problems("{}")).isNotEmpty();
    }
}
