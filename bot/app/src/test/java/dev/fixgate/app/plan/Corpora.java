package dev.fixgate.app.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every corpus of Terraform and CloudFormation in the repository, as small repositories to check and plan: each
 * KICS sample file on its own (a query's samples reuse resource names, so a folder of them is no module), each
 * TerraGoat module folder, and each playbook fixture case folder without its {@code after} files. The catalog is
 * walked from disk, so playbooks added later are covered without naming them.
 */
public final class Corpora {

    static final Path KICS = Path.of("../../iac-patchers/src/test/resources/corpus/kics/assets/queries");
    static final Path TERRAGOAT = Path.of("../../iac-patchers/src/test/resources/corpus/terragoat/terraform");
    static final Path CATALOG = Path.of("../../playbooks/catalog");

    private static final Set<String> IAC = Set.of(".tf", ".tfvars", ".yaml", ".yml", ".json", ".template");

    /** One repository to scan: its name in reports and the files (source → name inside the repository). */
    public record Repo(String corpus, String name, List<Path> files) {
        /** Copies the files into {@code dir} and returns it. */
        public Path materialise(Path dir) {
            try {
                Files.createDirectories(dir);
                for (Path f : files) {
                    Files.copy(f, dir.resolve(f.getFileName().toString()));
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Corpora() {
    }

    public static List<Repo> all() {
        List<Repo> out = new ArrayList<>();
        out.addAll(kics());
        out.addAll(terragoat());
        out.addAll(fixtures());
        return out;
    }

    /** Each KICS sample on its own (positive and negative, Terraform and CloudFormation). */
    public static List<Repo> kics() {
        return walk(KICS).filter(p -> p.getParent().getFileName().toString().equals("test"))
                .filter(p -> p.getFileName().toString().matches("(positive|negative).*\\.(tf|ya?ml|json)"))
                .map(p -> new Repo("kics", KICS.relativize(p).toString(), List.of(p))).toList();
    }

    /** Each TerraGoat module folder (its .tf files together). */
    public static List<Repo> terragoat() {
        return walk(TERRAGOAT).filter(Files::isDirectory).map(d -> {
            List<Path> tf = list(d).stream().filter(f -> f.getFileName().toString().endsWith(".tf")).toList();
            return new Repo("terragoat", TERRAGOAT.relativize(d).toString(), tf);
        }).filter(r -> !r.files().isEmpty()).toList();
    }

    /** Each fixture case of every playbook, {@code after} files left out. */
    public static List<Repo> fixtures() {
        return walk(CATALOG).filter(Files::isDirectory)
                .filter(d -> d.getFileName().toString().matches("(fail|pass)_.*"))
                .map(d -> new Repo("fixtures", CATALOG.relativize(d).toString(), list(d).stream()
                        .filter(f -> !f.getFileName().toString().startsWith("after."))
                        .filter(f -> IAC.stream().anyMatch(ext -> f.getFileName().toString().endsWith(ext)))
                        .toList()))
                .filter(r -> !r.files().isEmpty()).toList();
    }

    private static Stream<Path> walk(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted(Comparator.comparing(Path::toString)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
