package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.app.config.RepoConfig.Grouping;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupingTest {

    private static final List<String> CHANGED = List.of("modules/s3/main.tf", "main.tf", "modules/s3/versions.tf",
            "modules/rds/main.tf", "main.tf");

    @Test
    void byInitiativeEveryFileIsInTheOneGroup() {
        assertThat(Grouping.INITIATIVE.groupOf("modules/s3/main.tf")).isEqualTo(Grouping.WHOLE_INITIATIVE);
        assertThat(Grouping.INITIATIVE.group(CHANGED)).containsExactly(Map.entry(Grouping.WHOLE_INITIATIVE,
                List.of("main.tf", "modules/rds/main.tf", "modules/s3/main.tf", "modules/s3/versions.tf")));
    }

    @Test
    void byControlAndDirectoryEachDirectoryIsAGroupAndTheRootIsDot() {
        assertThat(Grouping.CONTROL_DIRECTORY.groupOf("modules/s3/main.tf")).isEqualTo("modules/s3");
        assertThat(Grouping.CONTROL_DIRECTORY.groupOf("main.tf")).isEqualTo(Grouping.ROOT);
        assertThat(Grouping.CONTROL_DIRECTORY.group(CHANGED)).containsExactly(
                Map.entry(".", List.of("main.tf")),
                Map.entry("modules/rds", List.of("modules/rds/main.tf")),
                Map.entry("modules/s3", List.of("modules/s3/main.tf", "modules/s3/versions.tf")));
        assertThat(Grouping.CONTROL_DIRECTORY.group(List.of())).isEmpty();
    }

    @Test
    void onlyRepositoryFilePathsAreAccepted() {
        for (String bad : List.of("", "/etc/passwd", "modules/", "a//b.tf", "./main.tf", "modules/../main.tf",
                "modules\\s3\\main.tf")) {
            for (Grouping g : Grouping.values()) {
                assertThatIllegalArgumentException().as("%s under %s", bad, g).isThrownBy(() -> g.groupOf(bad))
                        .withMessageContaining("not a repository file path");
            }
        }
    }

    @Test
    void theSettingDefaultsToInitiativeAndIsValidatedByTheSchema() {
        assertThat(RepoConfig.defaults().grouping()).isEqualTo(Grouping.INITIATIVE);
        assertThat(RepoConfigLoader.parse("f", "grouping: control_directory\n").grouping())
                .isEqualTo(Grouping.CONTROL_DIRECTORY);

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> RepoConfigLoader.parse("f", "mode: assist\ngrouping: per_file\n"));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("grouping");
            assertThat(p.location().line()).isEqualTo(2);
            assertThat(p.message()).contains("\"per_file\"", "initiative", "control_directory");
        });
    }
}
