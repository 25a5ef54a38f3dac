package dev.fixgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's first command, in-process: the demo on the bundled samples with the real parsers and catalog. */
class DemoTest {

    @TempDir
    Path home;

    private String run() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"demo"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FIXGATE_HOME", home.toString()), home,
                Clock.systemUTC());
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ingestsTwoDaysOfThreeToolsDeduplicatesAndLeavesTheOpenWork() {
        String out = run();

        assertThat(out).contains("Read 8 records from 3 inputs: 6 findings, 2 duplicates, 0 rejected.")
                .contains("demo/01-securityhub-2026-11-20.json      asff")
                .contains("demo/02-prowler-2026-11-20.ocsf.json     ocsf")
                .contains("demo/03-kics-infra.json                  kics")
                .contains("Stored: 1 seen again; 1 resolved;")
                .contains("1 resolved since day 1, 1 still failing.")
                .contains("audit log intact: 4 entries");
        String open = out.substring(out.indexOf("== open initiatives"), out.indexOf("== next stages"));
        assertThat(open.lines().filter(l -> l.contains("open finding"))).hasSize(4);
        assertThat(open).contains("aws.s3.bucket.public_access_block             account:aws:111111111111")
                .contains("aws.s3.bucket.public_access_block             repo:unknown:infra/storage")
                .doesNotContain("default_restrict_all");
    }

    @Test
    void runningItAgainStartsFromAFreshDatabaseAndPrintsTheSame() {
        String first = run();
        String second = run();
        assertThat(second.replaceAll("head [0-9a-f]{64}", "head H").replaceAll("in .*demo", ""))
                .isEqualTo(first.replaceAll("head [0-9a-f]{64}", "head H").replaceAll("in .*demo", ""));
    }
}
