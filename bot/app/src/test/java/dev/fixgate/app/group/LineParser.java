package dev.fixgate.app.group;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParseException;
import dev.fixgate.spi.finding.FindingParser;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.Severity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A line format for testing the ingest run without depending on any real tool's format:
 * {@code tool|id|toolControl|bucket|active|severity|time}; a line {@code !reason} is a malformed record, and
 * {@code !!reason} makes the input unreadable from there on, and {@code ?!} behaves like a parser bug.
 */
public final class LineParser implements FindingParser {

    @Override
    public String format() {
        return "lines";
    }

    @Override
    public int sniff(byte[] head, String sourceName) {
        return new String(head, StandardCharsets.UTF_8).contains("|") ? 10 : 0;
    }

    @Override
    public void parse(InputStream in, ParseContext context, Sink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            SourceLocation where = SourceLocation.at(context.sourceName(), n);
            if (line.startsWith("?!")) {
                throw new IllegalStateException("a parser bug");
            }
            if (line.startsWith("!!")) {
                throw new FindingParseException("ingest.truncated", line.substring(2), where);
            }
            if (line.startsWith("!")) {
                sink.rejected(where, "ingest.bad-record", line.substring(1));
                continue;
            }
            String[] f = line.split("\\|");
            Instant t = Instant.parse(f[6]);
            sink.finding(new Finding(f[0], f[1], context.controls().resolve(f[0], f[2]), f[2],
                    Severity.valueOf(f[5]), f[5], new CloudResource(Cloud.AWS, "123456789012", "", "AwsS3Bucket",
                    "arn:aws:s3:::" + f[3]), "bucket " + f[3], Boolean.parseBoolean(f[4]), t, t, where));
        }
    }
}
