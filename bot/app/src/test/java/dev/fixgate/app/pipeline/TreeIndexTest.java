package dev.fixgate.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.locate.RepoScan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

/** The files a scan reads, found once per tree id. */
class TreeIndexTest {

    private final InMemoryRepository git = new InMemoryRepository(new DfsRepositoryDescription("t"));

    /** A tree of {@code files} (path → text), inserted with its subtrees. */
    private ObjectId tree(ObjectInserter ins, Map<String, String> files) throws Exception {
        Map<String, Object> root = new TreeMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Map<String, Object> dir = root;
            String[] parts = f.getKey().split("/");
            for (int i = 0; i < parts.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> sub = (Map<String, Object>) dir.computeIfAbsent(parts[i], k -> new TreeMap<>());
                dir = sub;
            }
            dir.put(parts[parts.length - 1], f.getValue());
        }
        return insert(ins, root);
    }

    @SuppressWarnings("unchecked")
    private ObjectId insert(ObjectInserter ins, Map<String, Object> dir) throws Exception {
        TreeFormatter t = new TreeFormatter();
        // git orders a tree's entries by name, a directory's name as if it ended with '/'
        Map<String, Object> ordered = new TreeMap<>();
        dir.forEach((k, v) -> ordered.put(v instanceof Map ? k + "/" : k, v));
        for (Map.Entry<String, Object> e : ordered.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                String name = e.getKey().substring(0, e.getKey().length() - 1);
                t.append(name, FileMode.TREE, insert(ins, (Map<String, Object>) sub));
            } else {
                t.append(e.getKey(), FileMode.REGULAR_FILE,
                        ins.insert(Constants.OBJ_BLOB, ((String) e.getValue()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return ins.insert(t);
    }

    @Test
    void onlyTheFilesAScanReadsAndUnchangedSubtreesAreNotWalkedAgain() throws Exception {
        TreeIndex index = new TreeIndex(1_000, 10_000);
        Map<String, String> files = new TreeMap<>(Map.of(
                "infra/main.tf", "resource {}", "infra/modules/vpc/vpc.tf", "vpc", "src/a/A.java", "class A",
                "node_modules/pkg/main.tf", "skipped", "infra/.GIT/x.tf", "never", "src/a/b/c/deep.tf", "deep"));
        try (ObjectInserter ins = git.newObjectInserter(); ObjectReader reader = git.newObjectReader()) {
            ObjectId first = tree(ins, files);
            ins.flush();
            assertThat(index.files(reader, first, RepoScan::reads).keySet())
                    .containsExactlyInAnyOrder("infra/main.tf", "infra/modules/vpc/vpc.tf", "src/a/b/c/deep.tf");
            int known = index.size();

            files.put("src/a/A.java", "class A { int pushed; }");
            ObjectId second = tree(ins, files);
            ins.flush();
            assertThat(index.files(reader, second, RepoScan::reads).keySet())
                    .containsExactlyInAnyOrder("infra/main.tf", "infra/modules/vpc/vpc.tf", "src/a/b/c/deep.tf");
            // the root, src and src/a are new trees; infra, src/a/b, node_modules… were known
            assertThat(index.size()).isEqualTo(known + 3);
        }
    }

    @Test
    void aTreeIsNotKeptBeyondTheBounds() throws Exception {
        TreeIndex index = new TreeIndex(2, 10_000);
        try (ObjectInserter ins = git.newObjectInserter(); ObjectReader reader = git.newObjectReader()) {
            ObjectId t = tree(ins, Map.of("a/b/c/main.tf", "x", "d/e.tf", "y"));
            ins.flush();
            assertThat(index.files(reader, t, RepoScan::reads)).hasSize(2);
            assertThat(index.size()).isEqualTo(2);
        }
    }
}
