package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stores kept between jobs: bounded on disk, and only an optimisation. */
class ObjectStoresTest {

    @TempDir
    Path tmp;

    private static long stores(Path root) throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).count();
        }
    }

    @Test
    void noStoresMeansNothingIsKept() throws Exception {
        assertThat(ObjectStores.none().open("acme/infra")).isEmpty();
    }

    @Test
    void aTipIsRecordedWholeAndReadBack() throws Exception {
        ObjectStores stores = ObjectStores.under(tmp);
        ObjectId id = ObjectId.fromString("0123456789abcdef0123456789abcdef01234567");
        try (ObjectStores.Store s = stores.open("acme/infra").orElseThrow()) {
            assertThat(s.tip()).isEmpty();
            s.recordTip(id);
        }
        try (ObjectStores.Store s = stores.open("ACME/infra").orElseThrow()) { // GitHub's names ignore case
            assertThat(s.tip()).contains(id);
            Files.writeString(s.gitDir().resolve("fixgate-tip"), "../../etc/passwd\n");
            assertThat(s.tip()).isEmpty();
            s.reset();
            assertThat(s.tip()).isEmpty();
        }
    }

    @Test
    void theLeastRecentlyUsedStoresGoBeyondTheCount() throws Exception {
        ObjectStores stores = ObjectStores.under(tmp, 2, 1L << 30, 1L << 30, 64);
        for (String repo : new String[] {"acme/a", "acme/b", "acme/c"}) {
            try (ObjectStores.Store s = stores.open(repo).orElseThrow()) {
                Files.writeString(s.gitDir().resolve("x"), repo);
            }
            Thread.sleep(20); // distinct modification times
        }
        assertThat(stores(tmp)).isEqualTo(2);
        try (ObjectStores.Store s = stores.open("acme/a").orElseThrow()) {
            assertThat(s.gitDir().resolve("x")).doesNotExist(); // the oldest went
        }
    }

    @Test
    void theLeastRecentlyUsedStoresGoBeyondTheBytes() throws Exception {
        ObjectStores stores = ObjectStores.under(tmp, 10, 3_000, 1L << 30, 64);
        for (String repo : new String[] {"acme/a", "acme/b", "acme/c"}) {
            try (ObjectStores.Store s = stores.open(repo).orElseThrow()) {
                Files.write(s.gitDir().resolve("x"), new byte[1_200]);
            }
            Thread.sleep(20);
        }
        assertThat(stores(tmp)).isEqualTo(2);
    }

    @Test
    void aStoreWithTooManyPacksStartsAfresh() throws Exception {
        ObjectStores stores = ObjectStores.under(tmp, 10, 1L << 30, 1L << 30, 2);
        Optional<Path> dir = Optional.empty();
        try (ObjectStores.Store s = stores.open("acme/a").orElseThrow()) {
            Path pack = Files.createDirectories(s.gitDir().resolve("objects/pack"));
            for (int i = 0; i < 3; i++) {
                Files.writeString(pack.resolve("pack-" + i + ".pack"), "x");
            }
            s.recordTip(ObjectId.zeroId());
            dir = Optional.of(s.gitDir());
        }
        try (ObjectStores.Store s = stores.open("acme/a").orElseThrow()) {
            assertThat(s.gitDir()).isEqualTo(dir.orElseThrow());
            assertThat(s.tip()).isEmpty();
        }
    }
}
