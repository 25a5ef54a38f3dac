package dev.fixgate.localaws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/** Wire helpers shared by the services: XML, JSON, CBOR, form bodies, paging, errors. */
final class Wire {

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final CBORMapper CBOR = CBORMapper.builder().build();

    /** How a service puts its requests and errors on the wire. */
    enum Protocol { REST_XML, EC2, QUERY, JSON, REST_JSON, RPC_V2_CBOR }

    /** An error answered in the protocol's shape. */
    static final class AwsError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;
        final Map<String, String> headers;

        AwsError(int status, String code, String message) {
            this(status, code, message, Map.of());
        }

        AwsError(int status, String code, String message, Map<String, String> headers) {
            super(message);
            this.status = status;
            this.code = code;
            this.headers = headers;
        }
    }

    /** What a service handler answers. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply xml(String body) {
            return new Reply(200, "text/xml", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply json(JsonNode body, String contentType) {
            return new Reply(200, contentType, JSON.writeValueAsBytes(body), Map.of());
        }

        static Reply bytes(String contentType, byte[] body) {
            return new Reply(200, contentType, body, Map.of());
        }
    }

    private Wire() {
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    static ArrayNode arr() {
        return JSON.createArrayNode();
    }

    /** A small XML writer: {@code open}, {@code leaf}, {@code close}, escaping text. */
    static final class Xml {
        private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        private final List<String> stack = new ArrayList<>();

        Xml open(String tag) {
            return open(tag, "");
        }

        Xml open(String tag, String xmlns) {
            sb.append('<').append(tag);
            if (!xmlns.isEmpty()) {
                sb.append(" xmlns=\"").append(xmlns).append('"');
            }
            sb.append('>');
            stack.add(tag);
            return this;
        }

        Xml close() {
            sb.append("</").append(stack.remove(stack.size() - 1)).append('>');
            return this;
        }

        Xml leaf(String tag, Object value) {
            if (value == null) {
                return this;
            }
            sb.append('<').append(tag).append('>').append(escape(String.valueOf(value))).append("</").append(tag).append('>');
            return this;
        }

        @Override
        public String toString() {
            while (!stack.isEmpty()) {
                close();
            }
            return sb.toString();
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code a=1&b=x%20y} → ordered map (the last of repeated keys wins). */
    static Map<String, String> form(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    /** Query-protocol lists: {@code Filter.1.Name}, {@code Filter.1.Value.1}… → the values under {@code prefix.N}. */
    static List<String> members(Map<String, String> params, String prefix) {
        List<String> out = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + "." + i); i++) {
            out.add(params.get(prefix + "." + i));
        }
        return out;
    }

    /** EC2 filters: name → values. */
    static Map<String, List<String>> filters(Map<String, String> params) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 1; params.containsKey("Filter." + i + ".Name"); i++) {
            out.put(params.get("Filter." + i + ".Name"), members(params, "Filter." + i + ".Value"));
        }
        return out;
    }

    /** One page of {@code items} from the opaque {@code token}; the next token is null on the last page. */
    record Page<T>(List<T> items, String next) {
    }

    static <T> Page<T> page(List<T> all, String token, int size) {
        int from = 0;
        if (token != null && !token.isEmpty()) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
                        .substring("page:".length()));
            } catch (RuntimeException e) {
                throw new AwsError(400, "InvalidNextToken", "The pagination token is invalid: " + token);
            }
        }
        int to = Math.min(all.size(), from + Math.max(1, size));
        String next = to < all.size()
                ? Base64.getUrlEncoder().withoutPadding().encodeToString(("page:" + to).getBytes(StandardCharsets.UTF_8))
                : null;
        return new Page<>(List.copyOf(all.subList(Math.min(from, all.size()), to)), next);
    }

    static String iso(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    static String rfc1123(Instant t) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
    }

    /** Logs Insights prints times as {@code 2026-11-20 08:00:00.000}. */
    static String insightsTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(t);
    }

    static int intParam(Map<String, String> params, String name, int dflt) {
        String v = params.get(name);
        return v == null || v.isEmpty() ? dflt : Integer.parseInt(v);
    }

    static int intField(JsonNode body, String name, int dflt) {
        JsonNode v = body.get(name);
        return v == null || v.isNull() ? dflt : v.asInt();
    }

    static String text(JsonNode body, String name) {
        JsonNode v = body == null ? null : body.get(name);
        return v == null || v.isNull() ? "" : v.asString();
    }
}
