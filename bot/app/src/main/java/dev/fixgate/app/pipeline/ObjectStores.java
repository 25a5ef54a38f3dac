package dev.fixgate.app.pipeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Git object stores kept between jobs, one per repository, on this replica's disk: the commits, the trees (no blobs
 * but the IaC ones) of the tips read before, and which tip's trees are all there ({@link Store#tip}), so the next
 * fetch offers that commit as a "have" and receives only the trees that changed since. An optimisation only, never
 * the truth: the tip is recorded after its trees were all received, a store that is missing, unreadable or
 * inconsistent is deleted and the repository fetched as the first time, and each replica keeps its own.
 *
 * <p>Bounded on disk: a store past {@code maxStoreBytes} or {@code maxPacks} pack files (every fetch adds one) is
 * started afresh when next opened; past {@code maxStores} stores or {@code maxTotalBytes} in all, the least recently
 * used go first. One job at a time per repository in this process (a lock per store).
 */
public final class ObjectStores {

    /** The defaults of a service: 256 repositories, 1 GiB in all, 64 MiB and 64 packs per repository. */
    public static final int DEFAULT_MAX_STORES = 256;
    public static final long DEFAULT_MAX_TOTAL_BYTES = 1L << 30;
    public static final long DEFAULT_MAX_STORE_BYTES = 64L << 20;
    public static final int DEFAULT_MAX_PACKS = 64;

    private static final String TIP = "fixgate-tip";

    private final Optional<Path> root;
    private final int maxStores;
    private final long maxTotalBytes;
    private final long maxStoreBytes;
    private final int maxPacks;
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private ObjectStores(Optional<Path> root, int maxStores, long maxTotalBytes, long maxStoreBytes, int maxPacks) {
        this.root = root.map(p -> p.toAbsolutePath().normalize());
        this.maxStores = maxStores;
        this.maxTotalBytes = maxTotalBytes;
        this.maxStoreBytes = maxStoreBytes;
        this.maxPacks = maxPacks;
    }

    /** Stores under {@code root}, with the service's bounds. */
    public static ObjectStores under(Path root) {
        return under(root, DEFAULT_MAX_STORES, DEFAULT_MAX_TOTAL_BYTES, DEFAULT_MAX_STORE_BYTES, DEFAULT_MAX_PACKS);
    }

    public static ObjectStores under(Path root, int maxStores, long maxTotalBytes, long maxStoreBytes, int maxPacks) {
        if (maxStores < 1 || maxTotalBytes < 0 || maxStoreBytes < 0 || maxPacks < 1) {
            throw new IllegalArgumentException("bad bound");
        }
        return new ObjectStores(Optional.of(Objects.requireNonNull(root, "root")), maxStores, maxTotalBytes,
                maxStoreBytes, maxPacks);
    }

    /** No stores: every job's objects go under its checkout and are deleted with it. */
    public static ObjectStores none() {
        return new ObjectStores(Optional.empty(), 1, 0, 0, 1);
    }

    /**
     * The store of {@code repository}, held by this caller until closed; empty without stores. A store over its
     * bounds is emptied first.
     */
    public Optional<Store> open(String repository) throws IOException {
        if (root.isEmpty()) {
            return Optional.empty();
        }
        String key = key(repository);
        ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Path dir = root.get().resolve(key + ".git");
            if (Files.isDirectory(dir) && (packs(dir) > maxPacks || sizes.getOrDefault(dir, 0L) > maxStoreBytes)) {
                RemediateJobHandler.deleteTree(dir);
                sizes.remove(dir);
            }
            Files.createDirectories(dir);
            return Optional.of(new Store(dir, lock));
        } catch (IOException | RuntimeException e) {
            lock.unlock();
            throw e;
        }
    }

    /** One repository's store, held until closed. */
    public final class Store implements AutoCloseable {
        private final Path gitDir;
        private final ReentrantLock lock;

        private Store(Path gitDir, ReentrantLock lock) {
            this.gitDir = gitDir;
            this.lock = lock;
        }

        /** The git directory (bare). */
        public Path gitDir() {
            return gitDir;
        }

        /** The last tip whose trees were all received, as recorded; the caller checks it is there. */
        public Optional<ObjectId> tip() {
            try {
                String s = Files.readString(gitDir.resolve(TIP), StandardCharsets.US_ASCII).strip();
                return ObjectId.isId(s) ? Optional.of(ObjectId.fromString(s)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** Records {@code commit} as a tip whose trees are all in the store (written whole or not at all). */
        public void recordTip(ObjectId commit) throws IOException {
            Path tmp = gitDir.resolve(TIP + ".tmp");
            Files.writeString(tmp, commit.name() + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, gitDir.resolve(TIP), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, gitDir.resolve(TIP), StandardCopyOption.REPLACE_EXISTING);
            }
        }

        /** Empties the store: what it held could not be trusted. */
        public void reset() throws IOException {
            RemediateJobHandler.deleteTree(gitDir);
            Files.createDirectories(gitDir);
        }

        @Override
        public void close() throws IOException {
            try {
                Files.setLastModifiedTime(gitDir, FileTime.fromMillis(System.currentTimeMillis()));
                evict(gitDir);
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Deletes the least recently used stores (never {@code keep}) while there are too many or too many bytes. The
     * sizes are known from when each store was last closed (the directory is listed once per process), so a job
     * measures its own store only.
     */
    private synchronized void evict(Path keep) throws IOException {
        sizes.put(keep, size(keep));
        if (!listed) {
            try (Stream<Path> dirs = Files.list(root.orElseThrow())) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    sizes.computeIfAbsent(d, ObjectStores::sizeOrZero);
                }
            }
            listed = true;
        }
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        if (sizes.size() <= maxStores && total <= maxTotalBytes) {
            return;
        }
        List<Path> byUse = new ArrayList<>(sizes.keySet());
        byUse.sort(Comparator.comparing(ObjectStores::used));
        int count = byUse.size();
        for (Path dir : byUse) {
            if (count <= maxStores && total <= maxTotalBytes) {
                break;
            }
            ReentrantLock other = locks.computeIfAbsent(dir.getFileName().toString().replace(".git", ""),
                    k -> new ReentrantLock());
            if (!dir.equals(keep) && other.tryLock()) { // a store in use is left alone
                try {
                    RemediateJobHandler.deleteTree(dir);
                    count--;
                    total -= sizes.remove(dir);
                } finally {
                    other.unlock();
                }
            }
        }
    }

    private final ConcurrentHashMap<Path, Long> sizes = new ConcurrentHashMap<>();
    private volatile boolean listed;

    private static FileTime used(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOrZero(Path dir) {
        try {
            return size(dir);
        } catch (IOException e) {
            return 0;
        }
    }

    /** A file name for the repository: not its name (any characters), a digest of it. */
    private static String key(String repository) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(repository.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int packs(Path gitDir) throws IOException {
        Path pack = gitDir.resolve("objects").resolve("pack");
        if (!Files.isDirectory(pack)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(pack)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".pack")).count();
        }
    }

    private static long size(Path dir) throws IOException {
        long[] n = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                n[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return n[0];
    }
}
