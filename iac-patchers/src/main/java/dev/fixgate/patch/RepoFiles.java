package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads IaC files from a repository checkout and writes patched ones back, refusing what a patch must never touch:
 * paths with {@code ..} or outside the repository, symlinks that lead out of it (and writing through any symlink),
 * binary or non-UTF-8 files, files over a size limit. Writes are atomic (a temp file in the same directory, then a
 * rename), and a fix that spans several files writes none of them unless all temp files were written.
 */
public final class RepoFiles {

    /** Terraform/CloudFormation files are text a person reviews; anything bigger is generated or not IaC. */
    public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;

    public static final String SYMLINK_NOT_WRITTEN = "patch.symlink-not-written";

    private final Path root;
    private final long maxBytes;

    public RepoFiles(Path root, long maxBytes) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new PatchException(PatchException.IO_ERROR, "repository root is not readable: " + e.getMessage(),
                    SourceLocation.of(root.toString()), e);
        }
        this.maxBytes = maxBytes;
    }

    public RepoFiles(Path root) {
        this(root, DEFAULT_MAX_BYTES);
    }

    /** Reads {@code relPath} after every check; its format is guessed from the name. */
    public SourceFile read(String relPath) {
        Path p = resolveExisting(relPath);
        byte[] bytes;
        try {
            if (!Files.isRegularFile(p)) {
                throw new PatchException(PatchException.IO_ERROR, "not a regular file", SourceLocation.of(relPath));
            }
            long size = Files.size(p);
            if (size > maxBytes) {
                throw new PatchException(PatchException.FILE_TOO_LARGE, "file is " + size + " bytes, over the limit of "
                        + maxBytes, SourceLocation.of(relPath));
            }
            bytes = Files.readAllBytes(p);
        } catch (IOException e) {
            throw new PatchException(PatchException.IO_ERROR, "cannot read: " + e.getMessage(), SourceLocation.of(relPath), e);
        }
        IacFormat format = IacFormat.ofPath(relPath).orElseThrow(() -> new PatchException(PatchException.PARAM_INVALID,
                "not a Terraform or CloudFormation file name", SourceLocation.of(relPath)));
        return new SourceFile(relPath, decode(relPath, bytes), format);
    }

    /**
     * The other {@code .tf}/{@code .tfvars} files in the same directory (a Terraform module), for operations that
     * follow variables and look for companions. Files failing the checks make the whole read fail: a module we
     * cannot fully see is not one we can reason about.
     */
    public PatchContext moduleContext(String relPath) {
        Path file = resolveExisting(relPath);
        Path dir = file.getParent();
        List<SourceFile> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path sib : s.sorted().toList()) {
                String name = sib.getFileName().toString();
                if (sib.equals(file) || !(name.endsWith(".tf") || name.endsWith(".tfvars") || name.endsWith(".tfvars.json"))) {
                    continue;
                }
                String rel = root.relativize(dir.resolve(name)).toString();
                // .tfvars.json is Terraform input even though its name says JSON
                out.add(new SourceFile(rel, read(rel).text(), IacFormat.TERRAFORM));
            }
        } catch (IOException e) {
            throw new PatchException(PatchException.IO_ERROR, "cannot list module: " + e.getMessage(), SourceLocation.of(relPath), e);
        }
        return new PatchContext(out);
    }

    /** Reads, applies {@code op} and, if it changed anything, writes every changed file; returns the result. */
    public PatchResult apply(PatchOperation op, String relPath, ResourceSelector target) {
        SourceFile f = read(relPath);
        PatchContext ctx = f.format() == IacFormat.TERRAFORM ? moduleContext(relPath) : PatchContext.none();
        PatchResult r = op.apply(f, target, ctx);
        if (r instanceof PatchResult.Changed c) {
            List<SourceFile> all = new ArrayList<>();
            all.add(new SourceFile(relPath, c.text(), f.format()));
            all.addAll(c.otherFiles());
            writeAll(all);
        }
        return r;
    }

    /** Writes all files or none: every temp file is written before the first rename. */
    public void writeAll(List<SourceFile> files) {
        Map<Path, Path> temps = new LinkedHashMap<>();
        try {
            for (SourceFile f : files) {
                Path target = resolveForWrite(f.path());
                byte[] bytes = f.text().getBytes(StandardCharsets.UTF_8);
                if (bytes.length > maxBytes) {
                    throw new PatchException(PatchException.FILE_TOO_LARGE, "patched file would be " + bytes.length
                            + " bytes, over the limit of " + maxBytes, SourceLocation.of(f.path()));
                }
                Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".fixgate-tmp");
                temps.put(tmp, target);
                Files.write(tmp, bytes);
                copyPermissions(target, tmp);
            }
            for (Map.Entry<Path, Path> e : temps.entrySet()) {
                try {
                    Files.move(e.getKey(), e.getValue(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(e.getKey(), e.getValue(), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new PatchException(PatchException.IO_ERROR, "cannot write: " + e.getMessage(),
                    SourceLocation.of(files.isEmpty() ? "" : files.get(0).path()), e);
        } finally {
            for (Path tmp : temps.keySet()) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is harmless and named after its target
                }
            }
        }
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view != null && Files.exists(from)) {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            Files.setPosixFilePermissions(to, perms);
        }
    }

    /** The checked absolute path of an existing file inside the repository. */
    private Path resolveExisting(String relPath) {
        Path p = lexical(relPath);
        try {
            Path real = p.toRealPath();
            if (!real.startsWith(root)) {
                throw new PatchException(PatchException.SYMLINK_OUTSIDE_REPO, "resolves (through a symlink) to a place"
                        + " outside the repository", SourceLocation.of(relPath));
            }
            return real;
        } catch (IOException e) {
            throw new PatchException(PatchException.IO_ERROR, "cannot read: " + e.getMessage(), SourceLocation.of(relPath), e);
        }
    }

    private Path resolveForWrite(String relPath) throws IOException {
        Path p = lexical(relPath);
        if (Files.isSymbolicLink(p)) {
            throw new PatchException(SYMLINK_NOT_WRITTEN, "is a symlink; writing would replace the link with a file",
                    SourceLocation.of(relPath));
        }
        Path parent = p.getParent().toRealPath();
        if (!parent.startsWith(root)) {
            throw new PatchException(PatchException.SYMLINK_OUTSIDE_REPO, "its directory resolves outside the repository",
                    SourceLocation.of(relPath));
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new PatchException(PatchException.IO_ERROR, "not a regular file", SourceLocation.of(relPath));
        }
        return parent.resolve(p.getFileName());
    }

    /** Rejects absolute paths and {@code ..} before touching the disk. */
    private Path lexical(String relPath) {
        if (relPath.isBlank() || relPath.indexOf('\0') >= 0) {
            throw new PatchException(PatchException.PATH_OUTSIDE_REPO, "empty or invalid path", SourceLocation.of(relPath));
        }
        Path rel = Path.of(relPath);
        if (rel.isAbsolute() || relPath.startsWith("/") || relPath.startsWith("\\")) {
            throw new PatchException(PatchException.PATH_OUTSIDE_REPO, "absolute paths are not allowed; give a path"
                    + " relative to the repository", SourceLocation.of(relPath));
        }
        for (Path seg : rel) {
            if (seg.toString().equals("..")) {
                throw new PatchException(PatchException.PATH_OUTSIDE_REPO, "'..' is not allowed in a path",
                        SourceLocation.of(relPath));
            }
        }
        Path p = root.resolve(rel).normalize();
        if (!p.startsWith(root)) {
            throw new PatchException(PatchException.PATH_OUTSIDE_REPO, "outside the repository", SourceLocation.of(relPath));
        }
        return p;
    }

    /** UTF-8 text or a typed error naming the line of the first NUL or undecodable byte. */
    private static String decode(String relPath, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new PatchException(PatchException.BINARY_FILE, "binary file (NUL byte at offset " + i + ")",
                        SourceLocation.at(relPath, lineAt(bytes, i)));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int at = firstInvalidUtf8(bytes);
            throw new PatchException(PatchException.BINARY_FILE, "not UTF-8 text (bad byte at offset " + at + ")",
                    SourceLocation.at(relPath, lineAt(bytes, at)), e);
        }
    }

    private static long lineAt(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    private static int firstInvalidUtf8(byte[] bytes) {
        var dec = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        var out = java.nio.CharBuffer.allocate(bytes.length + 1);
        var res = dec.decode(in, out, true);
        return res.isError() ? in.position() : bytes.length;
    }
}
