package dev.fixgate.provider.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.JsonInput;
import dev.fixgate.provider.common.stream.JsonShape;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import java.io.IOException;
import java.io.InputStream;

/**
 * AWS Security Finding Format (ASFF): what Security Hub exports and what other products (Prowler, …) import.
 *
 * <p>Accepts, also as a stream of several JSON values (JSON lines): a single finding object; a batch
 * {@code {"Findings": [...]}} (BatchImportFindings / GetFindings); a bare array of findings; an EventBridge
 * event whose {@code detail.findings} holds the findings, alone or in an array.
 *
 * <p>This parser is the hot path of ingest (millions of Security Hub findings), so it reads tokens as they go
 * by and skips unneeded subtrees ({@code Details}, {@code Remediation}, …) without building a tree; see
 * {@link AsffRecord} for which fields it keeps.
 */
public final class AsffParser implements FindingParser {

    @Override
    public String format() {
        return "asff";
    }

    /**
     * Claims a head whose structure is ASFF: a finding's {@code SchemaVersion} with one of {@code ProductArn},
     * {@code GeneratorId}, {@code AwsAccountId} at the top, under {@code Findings[]}, under a root array, or under an
     * EventBridge {@code detail.findings[]}; or an EventBridge event of type "Security Hub Findings - …".
     */
    @Override
    public int sniff(byte[] head, String sourceName) {
        JsonShape s = JsonShape.of(head);
        for (String prefix : new String[] {"", "Findings[].", "[].", "detail.findings[].", "[].detail.findings[]."}) {
            if (s.has(prefix + "SchemaVersion")
                    && (s.has(prefix + "ProductArn") || s.has(prefix + "GeneratorId") || s.has(prefix + "AwsAccountId"))) {
                return 90;
            }
        }
        boolean event = s.value("detail-type").or(() -> s.value("[].detail-type"))
                .filter(t -> t.startsWith("Security Hub Findings")).isPresent();
        return event ? 80 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        try (JsonInput input = JsonInput.open(in, context)) {
            Walker walker = new Walker(input, sink);
            input.run(walker::roots);
        }
    }

    /** Walks the containers down to the findings; one instance per parse. */
    private static final class Walker {
        private final JsonInput input;
        private final JsonParser p;
        private final Problems problems = new Problems();
        private final AsffRecord record;

        Walker(JsonInput input, Sink sink) {
            this.input = input;
            this.p = input.parser();
            this.record = new AsffRecord(input.context(), sink);
        }

        void roots() throws IOException {
            do {
                JsonToken t = p.currentToken();
                if (t == JsonToken.START_ARRAY) {
                    array();
                } else if (t == JsonToken.START_OBJECT) {
                    object();
                } else {
                    throw input.shape("expected an ASFF finding, a {\"Findings\": [...]} batch, an array of findings"
                            + " or an EventBridge event");
                }
            } while (p.nextToken() != null);
        }

        /** An array of findings or of EventBridge events. */
        private void array() throws IOException {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == JsonToken.START_OBJECT) {
                    object();
                } else {
                    rejectNonObject();
                }
            }
        }

        /**
         * An object that is a finding, a batch or an event: which one shows only in its members, so its members are
         * read as a finding's while watching for {@code Findings} and {@code detail}.
         */
        private void object() throws IOException {
            String pointer = input.pointerHere();
            input.startRecord();
            problems.reset();
            record.reset();
            boolean container = false;
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                if (field.equals("Findings")) {
                    container = true;
                    findings();
                } else if (field.equals("detail")) {
                    container = true;
                    detail();
                } else {
                    record.field(field, p, problems);
                }
            }
            if (!container) {
                input.endRecord();
                record.emit(input.recordLocation(pointer), problems);
            }
        }

        private void detail() throws IOException {
            if (!Tokens.object(p, problems)) {
                return;
            }
            String field;
            while ((field = Tokens.nextField(p)) != null) {
                if (field.equals("findings")) {
                    findings();
                } else {
                    Tokens.skipValue(p);
                }
            }
        }

        private void findings() throws IOException {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw input.shape("expected an array of findings but found a " + p.currentToken());
            }
            // The pointer of element i is the array's plus "/i": built from the first, not from the parser's
            // context walk for each of millions of findings.
            String array = null;
            int index = -1;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                index++;
                if (p.currentToken() != JsonToken.START_OBJECT) {
                    rejectNonObject();
                    continue;
                }
                if (array == null) {
                    String first = input.pointerHere();
                    array = first.substring(0, first.lastIndexOf('/'));
                }
                String pointer = array + "/" + index;
                input.startRecord();
                problems.reset();
                record.reset();
                String field;
                while ((field = Tokens.nextField(p)) != null) {
                    record.field(field, p, problems);
                }
                input.endRecord();
                record.emit(input.recordLocation(pointer), problems);
            }
        }

        private void rejectNonObject() throws IOException {
            input.startRecord();
            String pointer = input.pointerHere();
            record.rejectNonObject(input.recordLocation(pointer), p.currentToken());
            p.skipChildren();
        }
    }
}
