package dev.fixgate.app.locate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Terraform state file (format version 4, what Terraform 0.12 and later write) into a
 * {@link TerraformState}, streaming: only the resource headers and each instance's identifying attributes are
 * kept, every other value is skipped without being built.
 *
 * <p>Errors are {@link FixgateException}s with the file, line, column and JSON pointer — and never with the
 * state's text: a parser message quoting a token could quote a secret, so messages are fixgate's own. Codes:
 * {@code locate.state-invalid} (not JSON, or not the shape of a state), {@code locate.state-version} (version 3
 * and older, or newer than 4), {@code locate.state-limit} (nesting or a single value past the limits).
 */
public final class TerraformStateParser {

    public static final String INVALID = "locate.state-invalid";
    public static final String VERSION = "locate.state-version";
    public static final String LIMIT = "locate.state-limit";

    /** Deeper than any state Terraform writes (attribute values nest a few levels), shallow enough to be safe. */
    static final int MAX_DEPTH = 128;
    /** The longest single string value read (identifiers are short; rendered policies and templates are not). */
    static final int MAX_STRING = 8 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_STRING).build())
            .build();

    private final String source;
    private final JsonParser p;
    private final List<TerraformState.Instance> instances = new ArrayList<>();
    private int dataSources;

    private TerraformStateParser(String source, JsonParser p) {
        this.source = source;
        this.p = p;
    }

    /**
     * @param source    the file or object the bytes came from, for messages
     * @param workspace the workspace the state belongs to
     */
    public static TerraformState parse(String source, String workspace, byte[] bytes) {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            return new TerraformStateParser(source, p).read(workspace);
        } catch (StreamConstraintsException e) {
            throw new FixgateException(LIMIT, "the state nests deeper than " + MAX_DEPTH
                    + " levels or holds a value longer than " + MAX_STRING + " characters; not read",
                    SourceLocation.of(source), null);
        } catch (JsonProcessingException e) {
            // never e.getMessage(): it may quote the state's text
            throw new FixgateException(INVALID, "not a Terraform state: not valid JSON", at(source, e), null);
        } catch (CharConversionException e) {
            throw new FixgateException(INVALID, "not a Terraform state: not UTF-8 text", SourceLocation.of(source), null);
        } catch (IOException e) {
            throw new FixgateException(INVALID, "not a Terraform state: unreadable", SourceLocation.of(source), null);
        }
    }

    private static SourceLocation at(String source, JsonProcessingException e) {
        var l = e.getLocation();
        return l == null ? SourceLocation.of(source)
                : SourceLocation.at(source, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
    }

    private TerraformState read(String workspace) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw invalid("a Terraform state is a JSON object");
        }
        long version = -1;
        boolean modules = false;
        boolean resources = false;
        String field;
        while ((field = nextField()) != null) {
            switch (field) {
                case "version" -> {
                    if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw invalid("version must be a whole number");
                    }
                    version = p.getLongValue();
                }
                case "resources" -> {
                    resources = true;
                    resources();
                }
                case "modules" -> {
                    modules = true;
                    skipValue();
                }
                default -> skipValue();
            }
        }
        if (version < 0) {
            throw new FixgateException(INVALID, "not a Terraform state: it has no version", SourceLocation.of(source), null);
        }
        if (version != 4) {
            throw new FixgateException(VERSION, "state format version " + version + " is not supported: fixgate reads"
                    + " version 4 (Terraform 0.12 and later)" + (version < 4 ? "; 'terraform state pull' with a current"
                    + " Terraform writes it" : ""), SourceLocation.of(source).withPointer("/version"), null);
        }
        if (modules && !resources) {
            throw new FixgateException(INVALID, "a version 4 state lists 'resources', not 'modules'",
                    SourceLocation.of(source).withPointer("/modules"), null);
        }
        return new TerraformState(source, workspace, instances, dataSources);
    }

    private void resources() throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw invalid("resources must be an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw invalid("each resource must be an object");
            }
            String pointer = pointer();
            SourceLocation where = here();
            String module = "";
            String mode = "";
            String type = "";
            String name = "";
            List<Pending> pending = new ArrayList<>();
            String field;
            while ((field = nextField()) != null) {
                switch (field) {
                    case "module" -> module = string("module");
                    case "mode" -> mode = string("mode");
                    case "type" -> type = string("type");
                    case "name" -> name = string("name");
                    case "instances" -> instances(pending);
                    default -> skipValue();
                }
            }
            if (!mode.equals("managed") && !mode.equals("data")) {
                throw new FixgateException(INVALID, "resource mode must be 'managed' or 'data'", where.withPointer(pointer), null);
            }
            if (type.isEmpty() || name.isEmpty()) {
                throw new FixgateException(INVALID, "a resource needs a type and a name", where.withPointer(pointer), null);
            }
            if (!module.isEmpty() && TerraformState.ModulePath.parse(module).isEmpty()) {
                throw new FixgateException(INVALID, "'module' is not a module path like module.a[\"k\"].module.b",
                        where.withPointer(pointer + "/module"), null);
            }
            if (mode.equals("data")) {
                dataSources++;
                continue;
            }
            for (Pending i : pending) {
                instances.add(new TerraformState.Instance(module, type, name, i.key, i.identifiers, i.deposed));
            }
        }
    }

    private record Pending(Optional<Object> key, Map<String, String> identifiers, boolean deposed) {
    }

    private void instances(List<Pending> out) throws IOException {
        if (p.nextToken() != JsonToken.START_ARRAY) {
            throw invalid("instances must be an array");
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw invalid("each instance must be an object");
            }
            Optional<Object> key = Optional.empty();
            Map<String, String> identifiers = new LinkedHashMap<>();
            boolean deposed = false;
            String field;
            while ((field = nextField()) != null) {
                switch (field) {
                    case "index_key" -> key = indexKey();
                    case "attributes", "attributes_flat" -> identifiers(identifiers);
                    case "deposed" -> deposed = !string("deposed").isEmpty();
                    default -> skipValue();
                }
            }
            out.add(new Pending(key, identifiers, deposed));
        }
    }

    private Optional<Object> indexKey() throws IOException {
        JsonToken t = p.nextToken();
        return switch (t) {
            case VALUE_NUMBER_INT -> Optional.of(p.getLongValue());
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                if (d != Math.rint(d)) {
                    throw invalid("index_key must be a whole number or a string");
                }
                yield Optional.of((long) d);
            }
            case VALUE_STRING -> Optional.of(p.getText());
            case VALUE_NULL -> Optional.empty();
            default -> throw invalid("index_key must be a whole number or a string");
        };
    }

    /** The identifying attributes at the top of {@code attributes}; every other value is skipped unread. */
    private void identifiers(Map<String, String> out) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw invalid("attributes must be an object");
        }
        String field;
        while ((field = nextField()) != null) {
            JsonToken v = p.nextToken();
            if ((TerraformState.IDENTIFIERS.contains(field) || TerraformState.OWNED.contains(field))
                    && v == JsonToken.VALUE_STRING && !p.getText().isEmpty()) {
                out.put(field, p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    private String nextField() throws IOException {
        JsonToken t = p.nextToken();
        return t == JsonToken.FIELD_NAME ? p.currentName() : null;
    }

    private String string(String what) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        if (t != JsonToken.VALUE_STRING) {
            throw invalid(what + " must be a string");
        }
        return p.getText();
    }

    private void skipValue() throws IOException {
        p.nextToken();
        p.skipChildren();
    }

    private String pointer() {
        return p.getParsingContext().pathAsPointer().toString();
    }

    private SourceLocation here() {
        var l = p.currentTokenLocation();
        return SourceLocation.at(source, Math.max(0, l.getLineNr()), Math.max(0, l.getColumnNr()));
    }

    private FixgateException invalid(String message) {
        return new FixgateException(INVALID, "not a Terraform state: " + message, here().withPointer(pointer()), null);
    }
}
