package dev.fixgate.app.locate;

import dev.fixgate.patch.PatchException;
import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a checkout's Terraform state is read from, read-only: the state files in its Terraform root modules
 * ({@code terraform.tfstate}, {@code terraform.tfstate.d/<workspace>/terraform.tfstate}) and the object each
 * {@code backend "s3"} block names (its settings completed by the {@code *.tfbackend} files beside it, as
 * {@code terraform init -backend-config=FILE} would), through {@link S3StateReader}.
 *
 * <p>Bounded: a state over {@code maxBytes} is not read, at most {@link #MAX_STATES} states per checkout are, and
 * symbolic links are never followed (a checkout is untrusted input). A state that exists but cannot be read is a
 * <em>blocking</em> problem: without it, nobody can tell whether a match by name alone is the right block.
 */
public final class StateSources implements AutoCloseable {

    public static final String TOO_LARGE = "locate.state-too-large";
    public static final String PARTIAL_BACKEND = "locate.backend-partial";
    public static final String S3_OFF = "locate.backend-not-read";
    public static final long DEFAULT_MAX_BYTES = 32L << 20;
    static final int MAX_STATES = 64;
    private static final long MAX_BACKEND_FILE = 64 << 10;

    private final Optional<S3StateReader> s3;
    private final long maxBytes;

    /**
     * @param s3       reads S3 backends; empty when the service configuration turns that off
     * @param maxBytes the largest state read (local or S3)
     */
    public StateSources(Optional<S3StateReader> s3, long maxBytes) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Local state files only, with the default limit. */
    public static StateSources localOnly() {
        return new StateSources(Optional.empty(), DEFAULT_MAX_BYTES);
    }

    /** A root module's state: {@code dir} is the module whose addresses the state's addresses are relative to. */
    public record Loaded(String dir, TerraformState state) {
    }

    /**
     * Why a state was not read. {@code blocking}: a state exists (or is declared) and could not be read; a partial
     * backend or S3 reading turned off is information only.
     */
    public record Problem(String where, String code, String message, boolean blocking) {
        @Override
        public String toString() {
            return where + ": " + message + " [" + code + "]";
        }
    }

    public record Result(List<Loaded> states, List<Problem> problems) {
        public Result {
            states = List.copyOf(states);
            problems = List.copyOf(problems);
        }

        public boolean blocked() {
            return problems.stream().anyMatch(Problem::blocking);
        }
    }

    /**
     * Every state the checkout's root modules point at.
     *
     * @param workspaces the workspaces whose state is read from S3 backends (local workspace directories are
     *                   read whatever their name)
     */
    public Result load(RepoScan scan, List<String> workspaces) {
        List<Loaded> states = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (RepoScan.Module m : scan.modules()) {
            Path dir = scan.root().resolve(m.dir()).normalize();
            if (!dir.startsWith(scan.root()) || Files.isSymbolicLink(dir)) {
                continue;
            }
            local(scan, m.dir(), dir.resolve("terraform.tfstate"), "default", states, problems);
            Path workspacesDir = dir.resolve("terraform.tfstate.d");
            if (Files.isDirectory(workspacesDir, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ws = Files.newDirectoryStream(workspacesDir)) {
                    List<Path> sorted = new ArrayList<>();
                    ws.forEach(sorted::add);
                    sorted.sort(null);
                    for (Path w : sorted) {
                        if (Files.isDirectory(w, LinkOption.NOFOLLOW_LINKS)) {
                            local(scan, m.dir(), w.resolve("terraform.tfstate"), w.getFileName().toString(), states, problems);
                        }
                    }
                } catch (IOException e) {
                    problems.add(new Problem(rel(scan, workspacesDir), "locate.state-unreadable",
                            "cannot list the workspaces: " + e.getClass().getSimpleName(), true));
                }
            }
            ModuleSettings settings = ModuleSettings.of(m);
            for (ModuleSettings.Backend declared : settings.backends()) {
                for (ModuleSettings.Backend backend : completed(scan, dir, declared, problems)) {
                    remote(m.dir(), backend, workspaces, states, problems);
                }
            }
        }
        return new Result(states, problems);
    }

    private void local(RepoScan scan, String moduleDir, Path file, String workspace, List<Loaded> states,
                       List<Problem> problems) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return; // no state file here
        }
        String where = rel(scan, file);
        if (!attrs.isRegularFile()) {
            if (attrs.isSymbolicLink()) {
                problems.add(new Problem(where, "locate.state-symlink", "a symbolic link; not followed", true));
            }
            return;
        }
        if (attrs.size() > maxBytes) {
            problems.add(new Problem(where, TOO_LARGE, "the state is " + attrs.size() + " bytes, over the limit of "
                    + maxBytes + " bytes (terraform_state.max_bytes in fixgate.yml); not read", true));
            return;
        }
        if (full(states, where, problems)) {
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            states.add(new Loaded(moduleDir, TerraformStateParser.parse(where, workspace, bytes)));
        } catch (FixgateException e) {
            problems.add(problem(where, e));
        } catch (IOException e) {
            problems.add(new Problem(where, "locate.state-unreadable", "cannot read it: " + e.getClass().getSimpleName(), true));
        }
    }

    /** The declared backend completed by each {@code *.tfbackend} file beside it (one configuration each), or as is. */
    private List<ModuleSettings.Backend> completed(RepoScan scan, Path dir, ModuleSettings.Backend declared,
                                                   List<Problem> problems) {
        List<ModuleSettings.Backend> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.tfbackend")) {
            List<Path> sorted = new ArrayList<>();
            files.forEach(sorted::add);
            sorted.sort(null);
            for (Path f : sorted) {
                String where = rel(scan, f);
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile() || a.size() > MAX_BACKEND_FILE) {
                    problems.add(new Problem(where, "locate.backend-config", "not a regular file of at most "
                            + MAX_BACKEND_FILE + " bytes; not read", false));
                    continue;
                }
                try {
                    Map<String, String> config = ModuleSettings.backendConfig(where, Files.readString(f));
                    out.add(declared.with(config));
                } catch (PatchException e) {
                    problems.add(new Problem(where, "locate.backend-config", e.getMessage(), false));
                }
            }
        } catch (IOException e) {
            problems.add(new Problem(rel(scan, dir), "locate.backend-config",
                    "cannot list *.tfbackend files: " + e.getClass().getSimpleName(), false));
        }
        if (out.isEmpty()) {
            out.add(declared);
        }
        return out;
    }

    private void remote(String moduleDir, ModuleSettings.Backend backend, List<String> workspaces, List<Loaded> states,
                        List<Problem> problems) {
        if (!backend.complete()) {
            problems.add(new Problem(backend.declaredAt(), PARTIAL_BACKEND, "backend \"s3\" names no "
                    + (backend.bucket().isEmpty() ? "bucket" : "key") + " (given to terraform init); add a *.tfbackend"
                    + " file beside it with bucket, key and region for fixgate to read the state", false));
            return;
        }
        for (String workspace : workspaces) {
            String where = "s3://" + backend.bucket() + "/" + backend.keyOf(workspace);
            if (s3.isEmpty()) {
                problems.add(new Problem(backend.declaredAt(), S3_OFF, where + " is not read: terraform_state.s3 is"
                        + " turned off in fixgate.yml", false));
                return;
            }
            if (full(states, where, problems)) {
                return;
            }
            try {
                byte[] bytes = s3.get().read(backend.bucket(), backend.keyOf(workspace), backend.region(), maxBytes);
                states.add(new Loaded(moduleDir, TerraformStateParser.parse(where, workspace, bytes)));
            } catch (FixgateException e) {
                problems.add(problem(where, e));
            }
        }
    }

    /** Past {@link #MAX_STATES}: said once, at the first state left unread. */
    private static boolean full(List<Loaded> states, String where, List<Problem> problems) {
        if (states.size() < MAX_STATES) {
            return false;
        }
        if (problems.stream().noneMatch(p -> p.code().equals("locate.state-limit"))) {
            problems.add(new Problem(where, "locate.state-limit", "more than " + MAX_STATES
                    + " states in one checkout; this one and the rest are not read", true));
        }
        return true;
    }

    private static Problem problem(String where, FixgateException e) {
        String at = e.location().map(Object::toString).orElse(where);
        return new Problem(at, e.code(), e.getMessage(), true);
    }

    /** Closes the S3 reader's clients. */
    @Override
    public void close() {
        s3.ifPresent(S3StateReader::close);
    }

    private static String rel(RepoScan scan, Path p) {
        return scan.root().relativize(p).toString().replace('\\', '/');
    }
}
