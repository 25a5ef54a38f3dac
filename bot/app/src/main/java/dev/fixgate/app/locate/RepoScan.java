package dev.fixgate.app.locate;

import dev.fixgate.patch.PatchException;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Terraform modules and CloudFormation templates of a repository checkout, read into {@link ModelResource}s.
 * A file that cannot be read or parsed is an {@link Problem} with its location; everything else is still read.
 * Paths are repository-relative with forward slashes. Symlinks are not followed; {@code .git}, {@code .terraform}
 * and {@code node_modules} are skipped; files over {@link #MAX_FILE_BYTES} are reported, not read.
 */
public final class RepoScan {

    public static final long MAX_FILE_BYTES = 4L << 20;
    private static final Set<String> SKIP_DIRS = Set.of(".git", ".terraform", "node_modules", ".validators", "target");
    private static final Pattern CFN_MARKER = Pattern.compile(
            "AWSTemplateFormatVersion|\"?Type\"?\\s*:\\s*\"?(AWS|Alexa)::[A-Za-z0-9]+::");

    /** A module: its directory and files (.tf and .tfvars) — the patch context of each other. */
    public record Module(String dir, List<SourceFile> files, List<ModelResource> resources) {
    }

    public record Template(SourceFile file, List<ModelResource> resources) {
    }

    /** A file that could not be read: {@code file:line: message [code]}. */
    public record Problem(String file, long line, String code, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message + " [" + code + "]";
        }
    }

    /**
     * Which commit of the repository a scan read, when its checkout knows: the commit and its tree, 40 hex digits
     * each.
     */
    public record Revision(String commit, String tree) {
        public Revision {
            java.util.Objects.requireNonNull(commit, "commit");
            java.util.Objects.requireNonNull(tree, "tree");
        }
    }

    private final Path root;
    private final List<Module> modules;
    private final List<Template> templates;
    private final List<Problem> problems;
    private final Optional<Revision> revision;

    private RepoScan(Path root, List<Module> modules, List<Template> templates, List<Problem> problems,
                     Optional<Revision> revision) {
        this.root = root;
        this.modules = List.copyOf(modules);
        this.templates = List.copyOf(templates);
        this.problems = List.copyOf(problems);
        this.revision = revision;
    }

    public static RepoScan of(Path root) {
        if (!Files.isDirectory(root)) {
            throw new FixgateException("locate.no-repo", root + ": not a directory");
        }
        Path base = root.toAbsolutePath().normalize();
        Map<String, List<SourceFile>> tf = new TreeMap<>();
        List<SourceFile> cfn = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try {
            Files.walkFileTree(base, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(base) && SKIP_DIRS.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (!attrs.isRegularFile() || Files.isSymbolicLink(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String rel = base.relativize(file).toString().replace('\\', '/');
                    String lower = rel.toLowerCase(Locale.ROOT);
                    Optional<IacFormat> format = IacFormat.ofPath(lower);
                    if (format.isEmpty() || lower.endsWith(".tfvars.json") || lower.endsWith(".tf.json")) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.size() > MAX_FILE_BYTES) {
                        problems.add(new Problem(rel, 0, "locate.file-too-large", "skipped: " + attrs.size()
                                + " bytes is over the " + MAX_FILE_BYTES + " byte limit"));
                        return FileVisitResult.CONTINUE;
                    }
                    Optional<String> text = read(file, rel, problems);
                    if (text.isEmpty()) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (format.get() == IacFormat.TERRAFORM) {
                        String dir = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')) : ".";
                        tf.computeIfAbsent(dir, k -> new ArrayList<>()).add(new SourceFile(rel, text.get(), IacFormat.TERRAFORM));
                    } else if (CFN_MARKER.matcher(text.get()).find()) {
                        cfn.add(new SourceFile(rel, text.get(), format.get()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    problems.add(new Problem(base.relativize(file).toString(), 0, "locate.unreadable", String.valueOf(exc.getMessage())));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
        // modules are parsed on their own, so in parallel (parsing is most of a scan); kept in path order
        List<Parsed> parsed = new ArrayList<>(tf.entrySet()).parallelStream().map(e -> module(e.getKey(), e.getValue()))
                .toList();
        List<Module> modules = new ArrayList<>();
        for (Parsed p : parsed) {
            problems.addAll(p.problems());
            p.module().ifPresent(modules::add);
        }
        List<Template> templates = new ArrayList<>();
        for (SourceFile f : cfn) {
            try {
                List<ModelResource> resources = IacModel.cloudFormation(f);
                if (!resources.isEmpty()) {
                    templates.add(new Template(f, resources));
                }
            } catch (PatchException e) {
                problems.add(problem(f.path(), e));
            }
        }
        return new RepoScan(base, modules, templates, problems, Optional.empty());
    }

    private record Parsed(Optional<Module> module, List<Problem> problems) {
    }

    private static Parsed module(String dir, List<SourceFile> files) {
        // one unparsable file makes module-wide conclusions unsafe: parse the rest file by file to keep what is good
        try {
            return new Parsed(Optional.of(new Module(dir, List.copyOf(files), IacModel.terraform(files))), List.of());
        } catch (PatchException e) {
            List<Problem> problems = new ArrayList<>();
            List<SourceFile> good = new ArrayList<>();
            for (SourceFile f : files) {
                try {
                    IacModel.terraform(List.of(f));
                    good.add(f);
                } catch (PatchException bad) {
                    problems.add(problem(f.path(), bad));
                }
            }
            return new Parsed(good.isEmpty() ? Optional.empty()
                    : Optional.of(new Module(dir, List.copyOf(good), IacModel.terraform(good))), problems);
        }
    }

    private static Problem problem(String path, PatchException e) {
        return new Problem(path, e.location().map(l -> l.line()).orElse(0L), e.code(), e.getMessage());
    }

    private static Optional<String> read(Path file, String rel, List<Problem> problems) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    problems.add(new Problem(rel, 0, "locate.binary-file", "skipped: contains NUL bytes"));
                    return Optional.empty();
                }
            }
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            problems.add(new Problem(rel, 0, "locate.not-utf8", "skipped: not UTF-8 text"));
        } catch (IOException e) {
            problems.add(new Problem(rel, 0, "locate.unreadable", String.valueOf(e.getMessage())));
        }
        return Optional.empty();
    }

    /**
     * Whether a scan, or the {@link StateSources} that read beside it, reads the repository file at {@code path}
     * (repository-relative, forward slashes): what a partial fetch of the repository must bring. Files under the
     * skipped directories are never read; the rest is decided by name, as the walk decides.
     */
    public static boolean reads(String path) {
        String[] parts = path.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            if (SKIP_DIRS.contains(parts[i])) {
                return false;
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tfvars.json") || lower.endsWith(".tf.json")) {
            return stateFile(path);
        }
        return IacFormat.ofPath(lower).isPresent() || stateFile(path);
    }

    /** A file {@link StateSources} reads from a checkout: a local Terraform state or a {@code *.tfbackend}. */
    public static boolean stateFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals("terraform.tfstate") || name.endsWith(".tfbackend");
    }

    /**
     * The same scan for a checkout of the same tree at {@code otherRoot}: what a scan cached by tree id gives the
     * next checkout of that tree (the state files {@link StateSources} reads are then read from {@code otherRoot}).
     */
    public RepoScan rooted(Path otherRoot) {
        return new RepoScan(otherRoot.toAbsolutePath().normalize(), modules, templates, problems, revision);
    }

    /** The same scan, saying which commit it read. */
    public RepoScan at(Revision read) {
        return new RepoScan(root, modules, templates, problems, Optional.of(read));
    }

    /** The commit this scan read, when the checkout said ({@link #at}). */
    public Optional<Revision> revision() {
        return revision;
    }

    /** The characters of text this scan holds (its files): what keeping it in memory costs, roughly. */
    public long textChars() {
        long n = 0;
        for (Module m : modules) {
            for (SourceFile f : m.files()) {
                n += f.text().length();
            }
        }
        for (Template t : templates) {
            n += t.file().text().length();
        }
        return n;
    }

    public Path root() {
        return root;
    }

    public List<Module> modules() {
        return modules;
    }

    public List<Template> templates() {
        return templates;
    }

    public List<Problem> problems() {
        return problems;
    }

    /** Every resource with what surrounds it (its module's or template's resources and files). */
    public List<Located> resources() {
        List<Located> out = new ArrayList<>();
        for (Module m : modules) {
            for (ModelResource r : m.resources()) {
                out.add(new Located(r, m.resources(), m.files()));
            }
        }
        for (Template t : templates) {
            for (ModelResource r : t.resources()) {
                out.add(new Located(r, t.resources(), List.of(t.file())));
            }
        }
        return out;
    }

    /**
     * A resource in its surroundings.
     *
     * @param siblings the resources of the same module/template
     * @param files    the module's files (Terraform) or the template
     */
    public record Located(ModelResource resource, List<ModelResource> siblings, List<SourceFile> files) {

        public SourceFile file() {
            return files.stream().filter(f -> f.path().equals(resource.file())).findFirst().orElseThrow();
        }

        /** The other files of the module: what a patch may need to see (variables, tfvars, companions). */
        public List<SourceFile> context() {
            return files.stream().filter(f -> !f.path().equals(resource.file())).toList();
        }
    }
}
