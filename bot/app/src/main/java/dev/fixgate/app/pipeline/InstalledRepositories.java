package dev.fixgate.app.pipeline;

import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.locate.ScanCache;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.kohsuke.github.GHAppInstallation;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The repositories the App is installed on, read through the installations' own tokens: which there are, what
 * their {@code .github/fixgate.yml} says, and the IaC of the default branch to locate code in.
 *
 * <p>{@link #scan} costs what the IaC costs, not what the repository does: partial fetches ({@link PartialFetch}:
 * the tip commit, which names its tree; the trees without blobs; the blobs of the files {@link RepoScan#reads}),
 * and a scan read once per tree id ({@link ScanCache}: the same tree again costs the commit and its state files). A git server that cannot serve a partial
 * fetch gets the shallow clone of the whole branch, as before.
 */
public final class InstalledRepositories implements RemediateJobHandler.Repositories {

    private static final Logger LOG = LoggerFactory.getLogger(InstalledRepositories.class);
    /** Per network operation (connect and each read), as for the delivery's fetches. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final GitHubClients clients;
    private final ScanCache scans;
    private final ObjectStores stores;
    private final TreeIndex index = TreeIndex.defaults();

    /** Scans cached in memory; no object stores kept between jobs. */
    public InstalledRepositories(GitHubClients clients) {
        this(clients, ScanCache.defaults(), ObjectStores.none());
    }

    /** @param scans the scans of trees already read; no object stores kept between jobs */
    public InstalledRepositories(GitHubClients clients, ScanCache scans) {
        this(clients, scans, ObjectStores.none());
    }

    /**
     * @param scans  the scans of trees already read (one per process in serve: replicas keep their own)
     * @param stores the git objects kept between jobs on this replica's disk, so a push costs the trees it changed
     */
    public InstalledRepositories(GitHubClients clients, ScanCache scans, ObjectStores stores) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.scans = Objects.requireNonNull(scans, "scans");
        this.stores = Objects.requireNonNull(stores, "stores");
    }

    @Override
    public List<RemediateJobHandler.Repo> installed() throws IOException {
        List<RemediateJobHandler.Repo> out = new ArrayList<>();
        for (GHAppInstallation installation : clients.app().getApp().listInstallations()) {
            for (GHRepository repo : clients.installation(installation.getId()).getInstallation().listRepositories()) {
                if (!repo.isArchived()) {
                    out.add(new RemediateJobHandler.Repo(installation.getId(), repo.getFullName()));
                }
            }
        }
        return out;
    }

    @Override
    public RepoConfigs.Sources configSources(RemediateJobHandler.Repo repo) throws IOException {
        GitHub github = clients.installation(repo.installationId());
        return RepoConfigs.sources(github, github.getRepository(repo.fullName()));
    }

    @Override
    public void checkout(RemediateJobHandler.Repo repo, Path dir) throws IOException {
        clone(repo, repository(repo), dir);
    }

    @Override
    public RepoScan scan(RemediateJobHandler.Repo repo, Path dir) throws IOException {
        GHRepository gh = repository(repo);
        URIish uri;
        try {
            uri = new URIish(gh.getHttpTransportUrl());
        } catch (URISyntaxException e) {
            throw new IOException("bad clone URL for " + repo.fullName(), e);
        }
        Optional<ObjectStores.Store> store = store(repo);
        try {
            if (store.isPresent()) {
                try {
                    return scan(gh, dir, uri, repo, store);
                } catch (MissingObjectException | CorruptObjectException | IllegalStateException e) {
                    // the store is an optimisation, never the truth: empty it and fetch as the first time
                    LOG.atInfo().setMessage("object store inconsistent; fetching afresh")
                            .addKeyValue("repository", repo.fullName()).addKeyValue("reason", e.getMessage()).log();
                    store.get().reset();
                    RemediateJobHandler.deleteTree(dir);
                }
            }
            return scan(gh, dir, uri, repo, store);
        } catch (PartialFetch.Unsupported e) {
            LOG.atInfo().setMessage("partial fetch not served; cloning the default branch")
                    .addKeyValue("repository", repo.fullName()).addKeyValue("reason", e.getMessage()).log();
            RemediateJobHandler.deleteTree(dir);
            clone(repo, gh, dir);
            return RepoScan.of(dir);
        } finally {
            if (store.isPresent()) {
                close(store.get(), repo);
            }
        }
    }

    /** The repository's store; none when it cannot be opened (a full or read-only disk costs the saving only). */
    private Optional<ObjectStores.Store> store(RemediateJobHandler.Repo repo) {
        try {
            return stores.open(repo.fullName());
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().setMessage("object store unavailable; fetching without it")
                    .addKeyValue("repository", repo.fullName()).addKeyValue("reason", String.valueOf(e.getMessage()))
                    .log();
            return Optional.empty();
        }
    }

    private static void close(ObjectStores.Store store, RemediateJobHandler.Repo repo) {
        try {
            store.close();
        } catch (IOException | RuntimeException e) {
            LOG.atWarn().setMessage("object store not tidied").addKeyValue("repository", repo.fullName())
                    .addKeyValue("reason", String.valueOf(e.getMessage())).log();
        }
    }

    /**
     * The partial fetches, into the repository's store when there is one: the tip with the trees that changed since
     * the store's recorded tip (one request), or, without one, the tip commit alone and — when its scan is not
     * cached — its trees; then the IaC blobs the store does not hold.
     */
    private RepoScan scan(GHRepository gh, Path dir, URIish uri, RemediateJobHandler.Repo repo,
                          Optional<ObjectStores.Store> store) throws IOException {
        Path gitDir = store.map(ObjectStores.Store::gitDir).orElse(dir.resolve(".git"));
        try (PartialFetch fetch = new PartialFetch(dir, gitDir, uri, credentials(repo), TIMEOUT)) {
            long start = System.nanoTime();
            Optional<ObjectId> have = store.flatMap(ObjectStores.Store::tip).filter(fetch::has);
            PartialFetch.Tip tip = have.isPresent() ? fetch.since(gh.getDefaultBranch(), have.get())
                    : fetch.tip(gh.getDefaultBranch());
            ObjectId tree = tip.tree();
            RepoScan.Revision read = new RepoScan.Revision(tip.commit().name(), tree.name());
            long fetched = System.nanoTime();
            Optional<ScanCache.Entry> known = scans.get(tree.name(), dir);
            if (known.isPresent()) {
                Map<String, ObjectId> states = new LinkedHashMap<>();
                known.get().stateFiles().forEach((path, id) -> states.put(path, ObjectId.fromString(id)));
                fetch.write(states);
                if (have.isPresent() && store.isPresent()) {
                    store.get().recordTip(tip.commit()); // its trees came less the have's, which were all there
                }
                timings(repo, have.isPresent(), start, fetched, fetched, System.nanoTime());
                return known.get().scan().at(read);
            }
            Map<String, ObjectId> files = fetch.files(tree, RepoScan::reads, index);
            if (store.isPresent()) {
                store.get().recordTip(tip.commit()); // every tree was read: the next fetch may offer it
            }
            long selected = System.nanoTime();
            RepoScan scan = RepoScan.of(dir);
            timings(repo, have.isPresent(), start, fetched, selected, System.nanoTime());
            Map<String, String> states = new LinkedHashMap<>();
            files.forEach((path, id) -> {
                if (RepoScan.stateFile(path)) {
                    states.put(path, id.name());
                }
            });
            scans.put(tree.name(), new ScanCache.Entry(scan, states));
            return scan.at(read);
        }
    }

    private static void timings(RemediateJobHandler.Repo repo, boolean have, long start, long tip, long files,
                                long end) {
        LOG.atDebug().setMessage("repository read").addKeyValue("repository", repo.fullName())
                .addKeyValue("have", have).addKeyValue("tipMillis", (tip - start) / 1_000_000)
                .addKeyValue("filesMillis", (files - tip) / 1_000_000)
                .addKeyValue("scanMillis", (end - files) / 1_000_000).log();
    }

    /** The shallow clone of the whole default branch (depth 1, every file). */
    private void clone(RemediateJobHandler.Repo repo, GHRepository gh, Path dir) throws IOException {
        try (Git git = Git.cloneRepository().setURI(gh.getHttpTransportUrl()).setDirectory(dir.toFile())
                .setBranch(gh.getDefaultBranch()).setDepth(1).setCredentialsProvider(credentials(repo))
                .setTimeout((int) TIMEOUT.toSeconds()).call()) {
            LOG.atDebug().setMessage("cloned").addKeyValue("repository", repo.fullName()).log();
        } catch (GitAPIException e) {
            throw new IOException("could not clone " + repo.fullName() + ": " + e.getMessage(), e);
        }
    }

    /** The token goes to JGit's credentials provider only: never into the URL, a repository's config or a log. */
    private UsernamePasswordCredentialsProvider credentials(RemediateJobHandler.Repo repo) throws IOException {
        return new UsernamePasswordCredentialsProvider("x-access-token",
                clients.tokens().token(repo.installationId()).reveal());
    }

    private GHRepository repository(RemediateJobHandler.Repo repo) throws IOException {
        return clients.installation(repo.installationId()).getRepository(repo.fullName());
    }
}
