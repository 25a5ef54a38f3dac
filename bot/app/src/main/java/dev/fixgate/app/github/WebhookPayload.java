package dev.fixgate.app.github;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What intake needs of a verified body, read in one pass without building it: that it is one JSON object (and
 * nothing after it), and its {@code action}, {@code installation.id} and {@code repository.full_name}. Every token is
 * still read — a malformed body is refused here, not by the worker — but nothing is kept, and the job's envelope
 * carries the body's own text instead of a tree written out again. Under load (WebhookIntakeBench, JFR) building the
 * tree and writing it back were the largest costs of a delivery on the request thread.
 *
 * <p>Bodies that do not start with {@code {} (after whitespace) — another encoding, a byte-order mark — take the old
 * way: a tree, written out again, so the envelope is always UTF-8 JSON the workers read with {@link Json#mapper()}.
 */
final class WebhookPayload {

    /** The fields intake stores beside the delivery, as {@link WebhookEvent#of} reads them from a tree. */
    record Fields(String action, long installationId, String repository) {
    }

    private WebhookPayload() {
    }

    /** The fields, or empty when the body is not exactly one JSON object. */
    static Optional<Fields> scan(byte[] body) {
        if (!startsWithBrace(body)) {
            return tree(body).map(n -> {
                WebhookEvent e = WebhookEvent.of("-", "-", n);
                return new Fields(e.action(), e.installationId(), e.repository());
            });
        }
        try (JsonParser p = Json.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            String action = "";
            long installation = 0;
            String repository = "";
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "action" -> action = text(p, value);
                    case "installation" -> installation = value == JsonToken.START_OBJECT ? longField(p, "id") : skip(p, 0L);
                    case "repository" -> repository = value == JsonToken.START_OBJECT ? textField(p, "full_name") : skip(p, "");
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return Optional.empty(); // not an object, or something after it
            }
            return Optional.of(new Fields(action, installation, repository));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The job payload: the envelope {@link WebhookEvent#fromJobPayload} reads — the headers that matter and GitHub's
     * payload, as it was sent.
     */
    static String envelope(String deliveryId, String event, Fields f, byte[] body) {
        String payload = startsWithBrace(body) ? new String(body, StandardCharsets.UTF_8)
                : tree(body).map(JsonNode::toString).orElseThrow(() -> new IllegalArgumentException("not JSON"));
        StringWriter out = new StringWriter(payload.length() + 200);
        try (JsonGenerator g = Json.mapper().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("delivery_id", deliveryId);
            g.writeStringField("event", event);
            g.writeStringField("action", f.action());
            g.writeNumberField("installation_id", f.installationId());
            g.writeStringField("repository", f.repository());
            g.writeFieldName("payload");
            g.writeRawValue(payload);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string cannot fail", e);
        }
        return out.toString();
    }

    private static boolean startsWithBrace(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }

    private static Optional<JsonNode> tree(byte[] body) {
        try (JsonParser p = Json.mapper().createParser(body)) {
            JsonNode n = Json.mapper().readTree(p);
            return n != null && n.isObject() && p.nextToken() == null ? Optional.of(n) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A scalar as {@link JsonNode#asText(String)} gives it (empty for null and containers, which are skipped). */
    private static String text(JsonParser p, JsonToken value) throws IOException {
        if (value == null || value == JsonToken.VALUE_NULL) {
            return "";
        }
        if (value.isStructStart()) {
            p.skipChildren();
            return "";
        }
        return p.getText();
    }

    private static <T> T skip(JsonParser p, T empty) throws IOException {
        p.skipChildren();
        return empty;
    }

    /** In the object the parser is at: {@code name}'s value as a long (0 when absent or not a number). */
    private static long longField(JsonParser p, String name) throws IOException {
        long found = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(name) && value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                found = p.getLongValue();
            } else if (field.equals(name)) {
                found = value == JsonToken.VALUE_STRING ? parseLong(p.getText()) : 0;
                p.skipChildren();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** In the object the parser is at: {@code name}'s scalar value as text (empty when absent). */
    private static String textField(JsonParser p, String name) throws IOException {
        String found = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals(name)) {
                found = text(p, value);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
