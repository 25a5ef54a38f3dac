package dev.fixgate.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.provider.common.testing.Parsed;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole-input failures of every JSON format, built from a valid document of that format: each ends the parse
 * with a FindingParseException carrying a stable code, a location and a one-line message — never an
 * OutOfMemoryError, never a stack trace as the message.
 */
class BadInputTest {

    static Stream<String[]> formats() throws IOException {
        return Stream.of(
                new String[] {"asff", Files.readString(Parsed.resource("corpus/asff-securityhub/afsbp/afsbp-s3.8.json"))},
                new String[] {"ocsf", Files.readString(Samples.COMMON.resolve("corpus/prowler/examples/example_output_aws.ocsf.json"))},
                new String[] {"sarif", Files.readString(Samples.COMMON.resolve("corpus/kics-output/e2e/fixtures/E2E_CLI_079_RESULT.sarif"))},
                new String[] {"kics", Files.readString(Samples.COMMON.resolve("corpus/kics-output/e2e/fixtures/E2E_CLI_086_RESULT.json"))},
                new String[] {"wiz", Files.readString(Samples.COMMON.resolve("wiz/configuration-findings.json"))},
                new String[] {"fixgate", Files.readString(Samples.COMMON.resolve("generic/example.json"))});
    }

    private static FindingParseException fail(String format, byte[] bytes, ParseLimits limits) {
        FindingParser parser = Samples.parser(format);
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Parsed.bytes(parser, bytes, limits));
        assertThat(t).as(format).isInstanceOf(FindingParseException.class);
        FindingParseException e = (FindingParseException) t;
        assertThat(e.getMessage()).doesNotContain("\tat ").doesNotContain("\n");
        assertThat(e.location()).isPresent();
        return e;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void unreadableInputsEndTheParseWithACode(String format, String valid) throws IOException {
        assertThat(Parsed.bytes(Samples.parser(format), utf8(valid), ParseLimits.defaults()).findings).isNotEmpty();

        assertThat(fail(format, utf8("<html><body>502 Bad Gateway</body></html>"), ParseLimits.defaults()).code())
                .isEqualTo("ingest.not-json");
        assertThat(fail(format, utf8(valid.substring(0, valid.length() * 2 / 3)), ParseLimits.defaults()).code())
                .isEqualTo("ingest.truncated");
        assertThat(fail(format, new byte[0], ParseLimits.defaults()).code()).isEqualTo("ingest.empty");

        // Latin-1 bytes where UTF-8 is expected: "é" as the single byte 0xE9 inside a string value.
        byte[] latin1 = valid.replaceFirst("\"([A-Za-z])", "\"\u00e9$1").getBytes(StandardCharsets.ISO_8859_1);
        FindingParseException encoding = fail(format, latin1, ParseLimits.defaults());
        assertThat(encoding.code()).isEqualTo("ingest.encoding");
        assertThat(encoding.location().orElseThrow().line()).isPositive();

        // UTF-16 with a byte order mark is accepted.
        ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
        utf16.write(valid.getBytes(StandardCharsets.UTF_16)); // Java writes the BOM FE FF first
        assertThat(Parsed.bytes(Samples.parser(format), utf16.toByteArray(), ParseLimits.defaults()).findings)
                .isNotEmpty();

        assertThat(fail(format, utf8(valid), new ParseLimits(10, 64, 16 << 20)).code()).isEqualTo("ingest.limit");
        assertThat(fail(format, utf8(valid), new ParseLimits(1 << 20, 3, 16 << 20)).code()).isEqualTo("ingest.limit");
        assertThat(fail(format, utf8(valid), new ParseLimits(1 << 20, 64, 200)).code()).isEqualTo("ingest.limit");
    }

    /** A record far over the budget fails while it streams, long before it could be held in memory. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aGiantRecordFailsWithoutBeingRead(String format, String valid) {
        String head = valid.substring(0, valid.indexOf('{', 1) + 1);
        byte[] prefix = utf8(head + "\"padding\": [");
        long[] served = {0};
        InputStream endless = new InputStream() {
            private int at;

            @Override
            public int read() {
                served[0]++;
                if (at < prefix.length) {
                    return prefix[at++];
                }
                return "1,".charAt(at++ % 2 == prefix.length % 2 ? 0 : 1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
        FindingParser parser = Samples.parser(format);
        assertThatThrownBy(() -> Parsed.stream(parser, endless,
                Parsed.context("endless", dev.fixgate.spi.finding.ControlResolver.none(), new ParseLimits(1 << 20, 64, 1 << 20))))
                .isInstanceOfSatisfying(FindingParseException.class, e -> assertThat(e.code()).isEqualTo("ingest.limit"));
        assertThat(served[0]).isLessThan(4L << 20);
    }
}
