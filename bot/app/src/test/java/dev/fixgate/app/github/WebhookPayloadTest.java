package dev.fixgate.app.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

    @ParameterizedTest
    @ValueSource(strings = {"check_suite-requested.json", "installation-created.json", "issue_comment-created.json",
            "ping.json", "pull_request-opened.json", "push.json"})
    void readsWhatTheTreeReadsAndTheEnvelopeCarriesTheBodyAsSent(String name) throws IOException {
        byte[] body = WebhookReceiverTest.payload(name);
        JsonNode tree = Json.mapper().readTree(body);
        WebhookEvent expected = WebhookEvent.of("d-1", "e", tree);

        WebhookPayload.Fields fields = WebhookPayload.scan(body).orElseThrow();

        assertThat(fields).isEqualTo(new WebhookPayload.Fields(expected.action(), expected.installationId(),
                expected.repository()));
        WebhookEvent queued = WebhookEvent.fromJobPayload(WebhookPayload.envelope("d-1", "e", fields, body));
        assertThat(queued).isEqualTo(expected);
    }

    @Test
    void onlyOneJsonObjectIsAPayload() {
        for (String body : List.of("", "   ", "not json", "[1,2]", "\"text\"", "{\"a\":1} {\"b\":2}", "{\"a\":1} x",
                "{\"a\":[1,2}", "{\"a\":\"unterminated}", "{\"a\":1,}", "{\"a\":\"\u0001\"}")) {
            assertThat(WebhookPayload.scan(body.getBytes(StandardCharsets.UTF_8))).as(body).isEmpty();
        }
    }

    @Test
    void fieldsOfOtherShapesAreReadAsTheTreeReadsThem() throws IOException {
        for (String body : List.of("{\"action\":null,\"installation\":{\"id\":\"42\"},\"repository\":\"acme/x\"}",
                "{\"action\":{\"nested\":1},\"installation\":{\"id\":{\"x\":1}},\"repository\":{\"full_name\":7}}",
                "{\"action\":\"a\",\"action\":\"b\",\"installation\":{\"id\":5,\"id\":6},\"x\":{\"action\":\"c\"}}",
                "{\"installation\":[1,2],\"repository\":{\"owner\":{\"full_name\":\"no\"},\"full_name\":\"acme/y\"}}")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            WebhookEvent expected = WebhookEvent.of("d", "e", Json.mapper().readTree(bytes));
            assertThat(WebhookPayload.scan(bytes)).as(body).hasValue(new WebhookPayload.Fields(expected.action(),
                    expected.installationId(), expected.repository()));
        }
    }

    @Test
    void aBodyInAnotherEncodingIsReadAsATreeAndQueuedAsUtf8() throws IOException {
        byte[] utf16 = "{\"action\":\"opened\",\"zen\":\"é\"}".getBytes(StandardCharsets.UTF_16BE);
        byte[] bom = ("\uFEFF{\"action\":\"opened\"}").getBytes(StandardCharsets.UTF_8);

        for (byte[] body : List.of(utf16, bom)) {
            WebhookPayload.Fields fields = WebhookPayload.scan(body).orElseThrow();
            assertThat(fields.action()).isEqualTo("opened");
            WebhookEvent queued = WebhookEvent.fromJobPayload(WebhookPayload.envelope("d", "e", fields, body));
            assertThat(queued.payload()).isEqualTo(Json.mapper().readTree(body));
        }
    }
}
