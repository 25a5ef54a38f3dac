package dev.fixgate.provider.common.stream;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.ParseContext;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Delimited UTF-8 text read one record at a time: quoted fields ({@code "a;b"}, {@code ""} for a quote, line
 * breaks inside quotes), {@code \n} or {@code \r\n} line ends, a byte order mark ignored.
 *
 * <p>It splits on bytes and decodes each field on its own: UTF-8 never uses the bytes of {@code "}, the
 * separator or a line break inside a multi-byte character, and decoding late pins an invalid byte to the line
 * it is on (a decoding Reader would report it at the start of its read-ahead buffer). Field and record sizes are
 * bounded by the {@link dev.fixgate.spi.finding.ParseLimits}, so a file without line breaks cannot fill the heap.
 */
public final class CsvReader {

    private final InputStream in;
    private final int separator;
    private final ParseContext context;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream field = new ByteArrayOutputStream();
    private long line = 1;
    private long recordLine;
    private int pushedBack = -2;
    private boolean first = true;

    public CsvReader(InputStream in, char separator, ParseContext context) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.separator = separator;
        this.context = context;
    }

    /** Line on which the last record returned by {@link #next()} starts. */
    public long recordLine() {
        return recordLine;
    }

    /** The next record's fields; empty at the end of the input. Blank lines are skipped. */
    public Optional<List<String>> next() throws IOException {
        while (true) {
            recordLine = line;
            List<String> fields = new ArrayList<>();
            field.reset();
            boolean quoted = false;
            boolean any = false;
            long size = 0;
            int c;
            while ((c = read()) >= 0) {
                any = true;
                if (++size > context.limits().maxRecordBytes()) {
                    throw fail(JsonInput.LIMIT, "a record is longer than the limit of "
                            + context.limits().maxRecordBytes() + " bytes");
                }
                if (quoted) {
                    if (c == '"') {
                        int n = read();
                        if (n == '"') {
                            append('"');
                            continue;
                        }
                        quoted = false;
                        pushedBack = n;
                        continue;
                    }
                    if (c == '\n') {
                        line++;
                    }
                    append(c);
                } else if (c == '"' && field.size() == 0) {
                    quoted = true;
                } else if (c == separator) {
                    fields.add(decode());
                } else if (c == '\n') {
                    line++;
                    break;
                } else if (c != '\r') {
                    append(c);
                }
            }
            if (quoted) {
                throw fail(JsonInput.TRUNCATED, "the input ends inside a quoted field (truncated?)");
            }
            if (!any) {
                return Optional.empty();
            }
            fields.add(decode());
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            return Optional.of(fields);
        }
    }

    private void append(int b) {
        if (field.size() >= context.limits().maxStringLength()) {
            throw fail(JsonInput.LIMIT, "a field is longer than the limit of "
                    + context.limits().maxStringLength() + " bytes");
        }
        field.write(b);
    }

    private String decode() {
        try {
            String s = utf8.decode(ByteBuffer.wrap(field.toByteArray())).toString();
            field.reset();
            return s;
        } catch (CharacterCodingException e) {
            throw fail(JsonInput.ENCODING, "the input is not valid UTF-8 text; convert it to UTF-8");
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        int c = in.read();
        if (first) {
            first = false;
            if (c == 0xEF) {
                // UTF-8 byte order mark EF BB BF: skip it; anything else starting with EF is decoded as usual.
                in.mark(2);
                if (in.read() == 0xBB && in.read() == 0xBF) {
                    return in.read();
                }
                in.reset();
            }
        }
        return c;
    }

    private FindingParseException fail(String code, String message) {
        return new FindingParseException(code, message, SourceLocation.at(context.sourceName(), line));
    }
}
