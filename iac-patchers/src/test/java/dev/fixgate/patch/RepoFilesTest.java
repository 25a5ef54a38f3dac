package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoFilesTest {

    private static final PatchOperation ROTATE = Fixtures.op("terraform.set_attribute",
            Map.of("path", "enable_key_rotation", "value", true));
    private static final ResourceSelector KEY = new ResourceSelector.ByAddress("aws_kms_key.k");
    private static final String KMS = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = false\n}\n";

    @TempDir
    Path tmp;
    Path repo;
    RepoFiles files;

    @BeforeEach
    void setUp() throws IOException {
        repo = Files.createDirectories(tmp.resolve("repo"));
        Files.createDirectories(repo.resolve("infra"));
        files = new RepoFiles(repo, 1024);
    }

    @Test
    void patchesAndWritesAtomicallyLeavingNoTempFiles() throws IOException {
        Files.writeString(repo.resolve("infra/kms.tf"), KMS);
        assertThat(files.apply(ROTATE, "infra/kms.tf", KEY)).isInstanceOf(PatchResult.Changed.class);
        assertThat(Files.readString(repo.resolve("infra/kms.tf"))).isEqualTo(KMS.replace("false", "true"));
        try (Stream<Path> s = Files.list(repo.resolve("infra"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("kms.tf");
        }
    }

    @Test
    void followsAVariableIntoItsFileInTheSameModule() throws IOException {
        Files.writeString(repo.resolve("infra/kms.tf"), "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = var.rot\n}\n");
        Files.writeString(repo.resolve("infra/variables.tf"), "variable \"rot\" {\n  default = false\n}\n");
        Files.writeString(repo.resolve("infra/providers.tf"), "provider \"aws\" {}\n");
        assertThat(files.apply(ROTATE, "infra/kms.tf", KEY)).isInstanceOf(PatchResult.Changed.class);
        assertThat(Files.readString(repo.resolve("infra/variables.tf"))).contains("default = true");
    }

    @Test
    void unparsableFileIsRefusedWithItsLineAndLeftAlone() throws IOException {
        String bad = "resource \"aws_kms_key\" \"k\" {\n  enable_key_rotation = \n";
        Files.writeString(repo.resolve("infra/kms.tf"), bad);
        PatchResult r = files.apply(ROTATE, "infra/kms.tf", KEY);
        assertThat(r).isInstanceOfSatisfying(PatchResult.CannotPatch.class, c -> {
            assertThat(c.code()).isEqualTo(PatchException.PARSE_ERROR);
            assertThat(c.location().source()).isEqualTo("infra/kms.tf");
        });
        assertThat(Files.readString(repo.resolve("infra/kms.tf"))).isEqualTo(bad);
    }

    @Test
    void dotDotAndAbsolutePathsAreRefused() {
        assertThatThrownBy(() -> files.read("../outside.tf")).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.PATH_OUTSIDE_REPO));
        assertThatThrownBy(() -> files.read("infra/../../outside.tf")).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.PATH_OUTSIDE_REPO));
        assertThatThrownBy(() -> files.read(tmp.resolve("x.tf").toString())).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.PATH_OUTSIDE_REPO));
        assertThatThrownBy(() -> files.writeAll(List.of(Fixtures.file("../x.tf", KMS)))).isInstanceOf(PatchException.class);
        assertThat(tmp.resolve("x.tf")).doesNotExist();
    }

    @Test
    void symlinksOutOfTheRepoAreRefusedAndLinksAreNeverWrittenThrough() throws IOException {
        Path outside = Files.writeString(tmp.resolve("secret.tf"), KMS);
        Files.createSymbolicLink(repo.resolve("infra/link.tf"), outside);
        assertThatThrownBy(() -> files.read("infra/link.tf")).isInstanceOfSatisfying(PatchException.class, e -> {
            assertThat(e.code()).isEqualTo(PatchException.SYMLINK_OUTSIDE_REPO);
            assertThat(e.location().orElseThrow().source()).isEqualTo("infra/link.tf");
        });
        Files.createSymbolicLink(repo.resolve("out"), tmp);
        assertThatThrownBy(() -> files.read("out/secret.tf")).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.SYMLINK_OUTSIDE_REPO));
        assertThatThrownBy(() -> files.writeAll(List.of(Fixtures.file("out/secret.tf", "x")))).isInstanceOf(PatchException.class);
        assertThat(Files.readString(outside)).isEqualTo(KMS);

        Files.createDirectories(repo.resolve("other"));
        Path real = Files.writeString(repo.resolve("other/real.tf"), KMS);
        Files.createSymbolicLink(repo.resolve("other/alias.tf"), real);
        assertThatThrownBy(() -> files.apply(ROTATE, "other/alias.tf", KEY)).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(RepoFiles.SYMLINK_NOT_WRITTEN));
        assertThat(Files.readString(real)).isEqualTo(KMS);
    }

    @Test
    void binaryAndNonUtf8FilesAreRefusedWithTheLine() throws IOException {
        Files.write(repo.resolve("infra/bin.tf"), "a = 1\nb = 2\n\0\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> files.read("infra/bin.tf")).isInstanceOfSatisfying(PatchException.class, e -> {
            assertThat(e.code()).isEqualTo(PatchException.BINARY_FILE);
            assertThat(e.location().orElseThrow().line()).isEqualTo(3);
        });
        Files.write(repo.resolve("infra/latin1.tf"), new byte[] {'a', '\n', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> files.read("infra/latin1.tf")).isInstanceOfSatisfying(PatchException.class, e -> {
            assertThat(e.code()).isEqualTo(PatchException.BINARY_FILE);
            assertThat(e.location().orElseThrow().line()).isEqualTo(2);
        });
    }

    @Test
    void filesOverTheLimitAreRefused() throws IOException {
        Files.writeString(repo.resolve("infra/big.tf"), "#".repeat(2000));
        assertThatThrownBy(() -> files.read("infra/big.tf")).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.FILE_TOO_LARGE));
        Files.writeString(repo.resolve("infra/kms.tf"), KMS);
        assertThatThrownBy(() -> files.writeAll(List.of(new SourceFile("infra/kms.tf", "#".repeat(2000),
                dev.fixgate.spi.iac.IacFormat.TERRAFORM)))).isInstanceOfSatisfying(PatchException.class,
                e -> assertThat(e.code()).isEqualTo(PatchException.FILE_TOO_LARGE));
        assertThat(Files.readString(repo.resolve("infra/kms.tf"))).isEqualTo(KMS);
    }

    @Test
    void aMultiFileWriteWritesNothingWhenOneFileIsRefused() throws IOException {
        Files.writeString(repo.resolve("infra/a.tf"), KMS);
        assertThatThrownBy(() -> files.writeAll(List.of(Fixtures.file("infra/a.tf", "changed\n"),
                Fixtures.file("../b.tf", "x")))).isInstanceOf(PatchException.class);
        assertThat(Files.readString(repo.resolve("infra/a.tf"))).isEqualTo(KMS);
    }
}
