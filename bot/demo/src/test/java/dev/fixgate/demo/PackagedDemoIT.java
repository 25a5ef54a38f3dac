package dev.fixgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's first command as a user types it: {@code ./fixgate demo} through the launcher script, on the packaged
 * jars and the class path the script builds ({@code fixgate.jar}, {@code fixgate-demo.jar} and the demo's own
 * {@code lib/}) — not the test class path, which has every module on it. A class the demo needs that the packaging
 * leaves out fails here and nowhere else. Runs after {@code package} (failsafe); {@code FIXGATE_NO_BUILD} keeps the
 * script from building inside the build.
 */
class PackagedDemoIT {

    @TempDir
    Path home;

    @Test
    void theLauncherRunsTheDemoOnThePackagedJars() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent().getParent();
        Path script = root.resolve("fixgate");
        assertThat(script).as("the launcher at the repository root").isRegularFile();
        Path out = home.resolve("out.json");
        Path err = home.resolve("err.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "demo", "--json")
                .directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("FIXGATE_HOME", home.resolve("state").toString());
        pb.environment().put("FIXGATE_NO_BUILD", "1");
        pb.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        Process p = pb.start();
        try {
            assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("the demo ends").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(stderr).isZero();
        JsonNode json = Json.mapper().readTree(out.toFile());
        assertThat(json.at("/pullRequests/opened").asInt()).as(stderr).isEqualTo(3);
        assertThat(json.at("/pullRequests/merged").asInt()).isEqualTo(3);
        assertThat(json.at("/issues/opened").asInt()).isEqualTo(1);
        assertThat(stderr).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException");
        assertThat(new File(root.toFile(), "bot/demo/target/lib")).isDirectory();
    }
}
