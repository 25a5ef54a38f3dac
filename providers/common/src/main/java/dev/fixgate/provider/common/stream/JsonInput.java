package dev.fixgate.provider.common.stream;

import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.CharConversionException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * One JSON input being parsed: a Jackson streaming parser bounded by the {@link ParseLimits}, the record byte
 * budget, and the translation of every way the input can be unreadable into a {@link FindingParseException}
 * with a stable code and a location. Shared by every JSON finding parser so that they fail alike.
 *
 * <p>Limits: {@link StreamReadConstraints} bound single strings and nesting; {@link BudgetedInputStream} bounds
 * the bytes of one record, so neither a giant string nor a giant record can exhaust the heap.
 */
public final class JsonInput implements Closeable {

    /** Codes of whole-input failures; {@code ingest.*} as the SPI asks. */
    public static final String NOT_JSON = "ingest.not-json";
    public static final String TRUNCATED = "ingest.truncated";
    public static final String ENCODING = "ingest.encoding";
    public static final String LIMIT = "ingest.limit";
    public static final String EMPTY = "ingest.empty";
    public static final String SHAPE = "ingest.shape";

    private final ParseContext context;
    private final BudgetedInputStream counted;
    private final JsonParser parser;
    private long recordStart;
    private long recordLine;

    private JsonInput(ParseContext context, BudgetedInputStream counted, JsonParser parser) {
        this.context = context;
        this.counted = counted;
        this.parser = parser;
    }

    /**
     * A factory enforcing {@code limits}. Comments and trailing commas are tolerated: they change the meaning of no
     * valid document, and findings files copied out of documentation or edited by hand contain them.
     */
    public static JsonFactory factory(ParseLimits limits) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(limits.maxStringLength())
                        .maxNestingDepth(limits.maxNestingDepth())
                        .build())
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
                .build();
    }

    /** Opens {@code in}; Jackson detects UTF-8, UTF-16 and UTF-32 (with or without BOM) itself. */
    public static JsonInput open(InputStream in, ParseContext context) throws IOException {
        BudgetedInputStream counted = new BudgetedInputStream(in, context.limits().maxRecordBytes());
        try {
            JsonParser parser = factory(context.limits()).createParser(counted);
            return new JsonInput(context, counted, parser);
        } catch (JsonProcessingException | CharConversionException e) {
            throw translate(context.sourceName(), e, "");
        }
    }

    public JsonParser parser() {
        return parser;
    }

    public ParseContext context() {
        return context;
    }

    /** Runs the walk of a parser, translating unreadable input into {@link FindingParseException}. */
    public void run(Walk walk) throws IOException {
        try {
            if (parser.nextToken() == null) {
                throw new FindingParseException(EMPTY, "the input is empty", SourceLocation.of(context.sourceName()));
            }
            walk.run();
        } catch (JsonProcessingException | CharConversionException | BudgetedInputStream.RecordTooLargeException e) {
            throw translate(context.sourceName(), e, pointerHere());
        }
    }

    /** The body of a parse; the parser is on the first token of the input when it starts. */
    @FunctionalInterface
    public interface Walk {
        void run() throws IOException;
    }

    /** Marks the current token as the start of a record: its line and the start of its byte budget. */
    public void startRecord() {
        JsonLocation at = parser.currentTokenLocation();
        recordLine = Math.max(0, at.getLineNr());
        recordStart = offset(at);
        counted.recordStartsAt(recordStart);
    }

    /** Checks the exact size of the record that just ended (the stream only catches records clearly over). */
    public void endRecord() {
        long size = offset(parser.currentLocation()) - recordStart;
        if (size > context.limits().maxRecordBytes()) {
            throw new FindingParseException(LIMIT, "a record is " + size + " bytes, over the limit of "
                    + context.limits().maxRecordBytes() + " bytes", recordLocation(pointerHere()));
        }
    }

    /** Where the current record starts, with {@code pointer}. */
    public SourceLocation recordLocation(String pointer) {
        return new SourceLocation(context.sourceName(), recordLine, 0, pointer);
    }

    /** RFC 6901 pointer of the parser's current position (within the current root value). */
    public String pointerHere() {
        return parser.getParsingContext().pathAsPointer().toString();
    }

    /** Line of the current token. */
    public long lineHere() {
        return Math.max(0, parser.currentTokenLocation().getLineNr());
    }

    /** A shape failure (valid JSON, but not this format) at the current position. */
    public FindingParseException shape(String message) {
        return new FindingParseException(SHAPE, message,
                new SourceLocation(context.sourceName(), lineHere(), 0, pointerHere()));
    }

    /** Expects the current token to be {@code expected}, else a shape failure naming {@code what}. */
    public void expect(JsonToken expected, String what) {
        if (parser.currentToken() != expected) {
            throw shape("expected " + what + " but found " + describe(parser.currentToken()));
        }
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString() == null ? token.name() : token.asString();
        };
    }

    private static long offset(JsonLocation at) {
        long bytes = at.getByteOffset();
        // Inputs decoded through a Reader (UTF-16/32) report characters only; two bytes each is close enough
        // for a budget that is meant to stop runaway records, not to measure them exactly.
        return bytes >= 0 ? bytes : Math.max(0, at.getCharOffset()) * 2;
    }

    static FindingParseException translate(String source, IOException e, String pointer) {
        if (e instanceof BudgetedInputStream.RecordTooLargeException big) {
            return new FindingParseException(LIMIT, "a record starting at byte " + big.recordStart
                    + " is larger than the limit of " + big.budget + " bytes", new SourceLocation(source, 0, 0, pointer), e);
        }
        SourceLocation where = new SourceLocation(source, 0, 0, pointer);
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            JsonLocation at = jpe.getLocation();
            where = new SourceLocation(source, Math.max(0, at.getLineNr()), Math.max(0, at.getColumnNr()), pointer);
        }
        if (e instanceof CharConversionException) {
            return new FindingParseException(ENCODING, "the input is not valid UTF-8, UTF-16 or UTF-32 text: "
                    + firstLine(e.getMessage()), where, e);
        }
        String detail = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (e instanceof StreamConstraintsException) {
            return new FindingParseException(LIMIT, "the input exceeds a parse limit: " + firstLine(detail), where, e);
        }
        if (e instanceof JsonEOFException || (detail != null && detail.startsWith("Unexpected end-of-input"))) {
            return new FindingParseException(TRUNCATED,
                    "the input ends in the middle of a JSON value (truncated?): " + firstLine(detail), where, e);
        }
        if (detail != null && detail.startsWith("Invalid UTF-8")) {
            return new FindingParseException(ENCODING, "the input is not valid UTF-8 (" + firstLine(detail)
                    + "); convert it to UTF-8", where, e);
        }
        if (e instanceof JsonParseException) {
            return new FindingParseException(NOT_JSON, "not valid JSON: " + firstLine(detail), where, e);
        }
        return new FindingParseException(NOT_JSON, "unreadable JSON: " + firstLine(detail), where, e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        // Jackson quotes the offending input; keep messages short so a hostile input cannot flood the log.
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
