package dev.fixgate.provider.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import dev.fixgate.spi.finding.FindingParser;

/**
 * Every sample file the parsers are tested on, in this module and in providers/common (read from its source
 * tree: Maven runs tests in the module directory), and every registered parser.
 */
final class Samples {

    static final Path AWS = Path.of("src/test/resources");
    static final Path COMMON = Path.of("../common/src/test/resources");

    private Samples() {
    }

    /** Sample files under both test-resource trees, without licences and READMEs. */
    static List<Path> all() {
        try (Stream<Path> a = Files.walk(AWS); Stream<Path> c = Files.walk(COMMON)) {
            return Stream.concat(a, c)
                    .filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().matches("(?i)(LICENSE.*|NOTICE.*|SOURCE.*|README.*)"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<FindingParser> parsers() {
        return ServiceLoader.load(FindingParser.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    static FindingParser parser(String format) {
        return parsers().stream().filter(p -> p.format().equals(format)).findFirst().orElseThrow();
    }

    /** The first 64 KiB, as format detection sees a file. */
    static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = in.readNBytes(64 * 1024);
            return Arrays.copyOf(buf, buf.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
