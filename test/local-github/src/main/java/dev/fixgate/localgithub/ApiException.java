package dev.fixgate.localgithub;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error answered the way api.github.com answers it: a status, a message, the documentation URL and, for 422, the
 * {@code errors} array ({@code resource}, {@code field}, {@code code}, optionally {@code message}).
 */
final class ApiException extends RuntimeException {

    static final String DOCS = "https://docs.github.com/rest";

    /** One entry of a 422's {@code errors} array. */
    record FieldError(String resource, String field, String code, String message) {}

    private final int status;
    private final String message;
    private final String documentationUrl;
    private final List<FieldError> errors;
    /** The plain-string {@code errors} of GitHub's "validation-error-simple" (e.g. creating a review). */
    private final List<String> simpleErrors;

    ApiException(int status, String message, String documentationUrl, List<FieldError> errors) {
        this(status, message, documentationUrl, errors, List.of());
    }

    private ApiException(int status, String message, String documentationUrl, List<FieldError> errors,
                         List<String> simpleErrors) {
        // Callers of the Java API (Human) see the errors too, not only GitHub's "Unprocessable Entity".
        super(simpleErrors.isEmpty() ? message : message + ": " + String.join("; ", simpleErrors));
        this.status = status;
        this.message = message;
        this.documentationUrl = documentationUrl;
        this.errors = List.copyOf(errors);
        this.simpleErrors = List.copyOf(simpleErrors);
    }

    static ApiException notFound() {
        return new ApiException(404, "Not Found", DOCS, List.of());
    }

    static ApiException badCredentials() {
        return new ApiException(401, "Bad credentials", DOCS, List.of());
    }

    static ApiException unauthorized(String message) {
        return new ApiException(401, message, DOCS, List.of());
    }

    static ApiException requiresAuth() {
        return new ApiException(401, "Requires authentication", DOCS, List.of());
    }

    static ApiException forbidden(String message) {
        return new ApiException(403, message, DOCS, List.of());
    }

    static ApiException badJson() {
        return new ApiException(400, "Problems parsing JSON", DOCS, List.of());
    }

    static ApiException invalid(String resource, String field, String code) {
        return new ApiException(422, "Validation Failed", DOCS, List.of(new FieldError(resource, field, code, null)));
    }

    static ApiException invalidCustom(String resource, String message) {
        return new ApiException(422, "Validation Failed", DOCS, List.of(new FieldError(resource, null, "custom", message)));
    }

    static ApiException unprocessable(String message) {
        return new ApiException(422, message, DOCS, List.of());
    }

    /** {@code 422 {"message": "Unprocessable Entity", "errors": ["<error>"]}}. */
    static ApiException unprocessableSimple(String error) {
        return new ApiException(422, "Unprocessable Entity", DOCS, List.of(), List.of(error));
    }

    static ApiException notAllowed(String message) {
        return new ApiException(405, message, DOCS, List.of());
    }

    static ApiException conflict(String message) {
        return new ApiException(409, message, DOCS, List.of());
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        ObjectNode o = Json.obj();
        o.put("message", message);
        if (!errors.isEmpty()) {
            ArrayNode a = o.putArray("errors");
            for (FieldError e : errors) {
                ObjectNode x = a.addObject();
                x.put("resource", e.resource());
                if (e.field() != null) {
                    x.put("field", e.field());
                }
                x.put("code", e.code());
                if (e.message() != null) {
                    x.put("message", e.message());
                }
            }
        }
        if (!simpleErrors.isEmpty()) {
            ArrayNode a = o.putArray("errors");
            simpleErrors.forEach(a::add);
        }
        o.put("documentation_url", documentationUrl);
        o.put("status", String.valueOf(status));
        return o;
    }
}
