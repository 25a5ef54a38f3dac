package dev.fixgate.playbooks;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The playbooks, by id and by canonical control. The built-in catalog is {@code playbooks/catalog/<cloud>/<id>/}
 * (packaged on the class path); {@link #load(Path)} reads the same layout from a directory, so adding a playbook is
 * adding a folder. Loading validates every playbook: schema, id == folder, detect conditions compile, fix
 * operations resolve with their parameters, and no control is claimed by two primary playbooks.
 *
 * <p>The built-in catalog is the exception: {@code CatalogContractTest} runs all of that on it when fixgate is built,
 * so {@link #builtIn()} does not do it again on every start (it was most of a short command's time). It reads the
 * manifests without the schema and keeps the structural checks (id == folder, cloud == folder, unique ids, known
 * {@code variant_of}, one primary per control); a detect condition is compiled when it is first evaluated and a fix
 * built when it is first applied, and one that does not compile then fails as it would have at load time
 * ({@code playbook.detect-invalid}, naming the manifest), never as a pass.
 */
public final class PlaybookCatalog {

    static final String CLASSPATH_ROOT = "dev/fixgate/playbooks/catalog";

    private final Map<String, Playbook> byId;

    private PlaybookCatalog(Collection<Playbook> playbooks, boolean eager) {
        Map<String, Playbook> m = new LinkedHashMap<>();
        playbooks.stream().sorted(Comparator.comparing(Playbook::id)).forEach(p -> {
            Playbook previous = m.put(p.id(), p);
            if (previous != null) {
                throw new PlaybookException("playbook.duplicate-id", "playbook id '" + p.id() + "' is declared twice: "
                        + previous.folder() + " and " + p.folder(), SourceLocation.of(p.folder()));
            }
        });
        this.byId = m;
        validate(eager);
    }

    /** A catalog of these playbooks, fully validated. */
    public static PlaybookCatalog of(Collection<Playbook> playbooks) {
        return new PlaybookCatalog(playbooks, true);
    }

    /**
     * The playbooks of this catalog with these ids (unknown ids are ignored), validated as this catalog was: a subset
     * of a loaded catalog needs only the structural checks (a variant still needs its primary).
     */
    public PlaybookCatalog only(Collection<String> ids) {
        return new PlaybookCatalog(byId.values().stream().filter(p -> ids.contains(p.id())).toList(), false);
    }

    private static volatile PlaybookCatalog builtIn;

    /** The catalog shipped with fixgate. */
    public static PlaybookCatalog builtIn() {
        PlaybookCatalog c = builtIn;
        if (c == null) {
            synchronized (PlaybookCatalog.class) {
                if (builtIn == null) {
                    builtIn = loadClasspath();
                }
                c = builtIn;
            }
        }
        return c;
    }

    private static PlaybookCatalog loadClasspath() {
        URL url = PlaybookCatalog.class.getClassLoader().getResource(CLASSPATH_ROOT);
        if (url == null) {
            throw new IllegalStateException("the built-in playbook catalog is missing from the class path: " + CLASSPATH_ROOT);
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem fs = FileSystems.newFileSystem(uri, Map.of())) {
                    return builtIn(fs.getPath("/" + CLASSPATH_ROOT));
                }
            }
            return builtIn(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the built-in playbook catalog", e);
        }
    }

    /** Reads a catalog as the built-in one is read: no schema, conditions compiled on first use (see the class doc). */
    static PlaybookCatalog builtIn(Path root) throws IOException {
        return new PlaybookCatalog(read(root, "catalog", false), false);
    }

    /**
     * The fixture files of a built-in playbook ({@code terraform/fail_x/before.tf} → its text), as shipped with it;
     * empty when the playbook is not built in.
     */
    public static Map<String, String> builtInFixtures(Playbook p) {
        URL url = PlaybookCatalog.class.getClassLoader().getResource(CLASSPATH_ROOT + "/"
                + p.cloud().name().toLowerCase(java.util.Locale.ROOT) + "/" + p.id() + "/fixtures");
        if (url == null) {
            return Map.of();
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                String s = uri.toString();
                URI jar = URI.create(s.substring(0, s.indexOf("!/")));
                try (FileSystem fs = FileSystems.newFileSystem(jar, Map.of())) {
                    return files(fs.getPath(s.substring(s.indexOf("!/") + 1)));
                }
            }
            return files(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot read the fixtures of " + p.id(), e);
        }
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Reads {@code <root>/<cloud>/<id>/playbook.yaml} for every folder under {@code root}. */
    public static PlaybookCatalog load(Path root) {
        try {
            return new PlaybookCatalog(read(root, root.toString(), true), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read playbooks under " + root, e);
        }
    }

    /**
     * The manifests under {@code root}, in path order. With {@code schema} (a user's catalog) each is checked against
     * the schema and they are read one by one, so the first broken one is the one reported; without (the built-in
     * catalog, checked at build time) they are parsed in parallel.
     */
    static List<Playbook> read(Path root, String displayRoot, boolean schema) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(root, 3)) {
            files = s.filter(p -> p.getFileName() != null && p.getFileName().toString().equals("playbook.yaml"))
                    .sorted().toList();
        }
        if (schema) {
            List<Playbook> out = new ArrayList<>();
            for (Path f : files) {
                out.add(readOne(root, f, displayRoot, true));
            }
            return out;
        }
        try {
            return files.parallelStream().map(f -> {
                try {
                    return readOne(root, f, displayRoot, false);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Playbook readOne(Path root, Path f, String displayRoot, boolean schema) throws IOException {
        Path rel = root.relativize(f);
        String display = displayRoot + "/" + rel.toString().replace('\\', '/');
        if (rel.getNameCount() != 3) {
            throw new PlaybookException("playbook.layout", "a playbook lives in <cloud>/<id>/playbook.yaml",
                    SourceLocation.of(display));
        }
        Playbook p = PlaybookLoader.load(display, rel.getName(1).toString(), Files.readString(f, StandardCharsets.UTF_8),
                schema);
        if (!p.cloud().name().equalsIgnoreCase(rel.getName(0).toString())) {
            throw new PlaybookException("playbook.cloud-mismatch", "/cloud: '" + p.cloud().name().toLowerCase()
                    + "' but the playbook is in the folder '" + rel.getName(0) + "'", SourceLocation.of(display));
        }
        return p;
    }

    /**
     * The checks across playbooks, always; with {@code eager} also every detect condition compiled and every fix
     * built with its default parameters.
     */
    private void validate(boolean eager) {
        Detector detector = eager ? new Detector() : null;
        Fixer fixer = eager ? Fixer.standard() : null;
        Map<ControlId, String> primary = new LinkedHashMap<>();
        for (Playbook p : byId.values()) {
            SourceLocation where = SourceLocation.of(p.folder() + "/playbook.yaml");
            if (eager) {
                p.detect().values().forEach(d -> detector.check(d, where));
                p.formats().forEach(f -> fixer.operations(p, f, Map.of()));
            }
            if (p.variantOf().isPresent()) {
                Playbook main = byId.get(p.variantOf().get());
                if (main == null) {
                    throw new PlaybookException("playbook.variant-unknown", "/variant_of: no playbook '"
                            + p.variantOf().get() + "'", where);
                }
                continue;
            }
            for (ControlId c : p.controls()) {
                String other = primary.put(c, p.id());
                if (other != null) {
                    throw new PlaybookException("playbook.control-claimed-twice", "/controls: " + c.value()
                            + " is already fixed by playbook " + other + "; mark one as variant_of the other", where);
                }
            }
        }
    }

    public Collection<Playbook> all() {
        return byId.values();
    }

    public Optional<Playbook> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Playbooks that fix {@code control}: the primary first, then its variants. */
    public List<Playbook> forControl(ControlId control) {
        return byId.values().stream().filter(p -> p.controls().contains(control))
                .sorted(Comparator.comparing((Playbook p) -> p.variantOf().isPresent()).thenComparing(Playbook::id))
                .toList();
    }

    /** The playbook for a finding: by its canonical control, preferring the repository's chosen variants. */
    public Optional<Playbook> select(Finding finding) {
        return select(finding, Set.of());
    }

    /**
     * As {@link #select(Finding)}, where {@code preferred} names variants the repository chose
     * (e.g. {@code s3_bucket_encryption_kms}). A code finding whose resource type no format of the playbook covers
     * selects nothing.
     */
    public Optional<Playbook> select(Finding finding, Set<String> preferred) {
        List<Playbook> all = forControl(finding.control());
        List<Playbook> candidates = all;
        if (finding.resource() instanceof CodeResource code && !code.type().isBlank()) {
            candidates = candidates.stream()
                    .filter(p -> p.resourceTypes().values().stream().anyMatch(l -> l.contains(code.type()))).toList();
        }
        if (finding.resource() instanceof CloudResource cloud && !cloud.cloud().name().equals("UNKNOWN")) {
            candidates = candidates.stream().filter(p -> p.cloud() == cloud.cloud()).toList();
        }
        List<Playbook> chosen = candidates;
        return chosen.stream().filter(p -> preferred.contains(p.id())).findFirst()
                .or(() -> chosen.stream().findFirst());
    }
}
