package dev.fixgate.app.deliver;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GHRepository;

/**
 * Writes one fix as a commit on fixgate's branch: the proposal's files on top of the default branch's head
 * (parent: that head) — or of the default branch's commit they were planned on, where the committer can name it
 * without a fetch ({@link GitDataApiCommitter}; {@link JGitCommitter} fetches the head) — authored and committed by
 * {@link PullRequestDelivery#BOT_NAME} at {@link Change#at()}, with the message as given, then
 * {@code refs/heads/<branch>} created or moved to it. Every implementation produces the same tree and message for
 * the same change on the same parent; they differ only in how the objects reach GitHub
 * ({@link GitDataApiCommitter}: REST calls, {@link JGitCommitter}: one fetch and one push).
 *
 * <p>A branch that already holds exactly the proposal's files is left as it is ({@link Result#committed()} false),
 * so a retry or a restart adds no commit. Whether the branch may be touched at all (a human pushed) is decided by
 * the caller before this is called.
 */
public interface BranchCommitter {

    /**
     * @param repository     the repository (for the REST calls, and its {@code clone_url})
     * @param installationId the installation whose token authenticates git over HTTPS
     * @param base           the default branch the commit is built on
     * @param branch         fixgate's branch, without {@code refs/heads/}
     * @param current        the branch's head when it exists (a fixgate commit, checked by the caller); empty: create it
     * @param files          path → new full text of each changed file (written as UTF-8, mode 100644)
     * @param message        the commit message, trailers included
     * @param at             author and committer time
     * @param rebuild        make a new commit on the default branch even when {@code current} already holds the files
     *                       ({@code /fixgate recreate} over commits a person pushed)
     * @param plannedOn      the default branch's commit the files were computed from, when the remediation job said:
     *                       the commit is built on it (saving the read of the branch's head) rather than on the head
     */
    record Change(GHRepository repository, long installationId, String base, String branch, Optional<String> current,
                  Map<String, String> files, String message, Instant at, boolean rebuild,
                  Optional<DeliveryJob.Base> plannedOn) {
        public Change {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(branch, "branch");
            Objects.requireNonNull(current, "current");
            files = Map.copyOf(files);
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(plannedOn, "plannedOn");
        }

        public Change(GHRepository repository, long installationId, String base, String branch, Optional<String> current,
                      Map<String, String> files, String message, Instant at) {
            this(repository, installationId, base, branch, current, files, message, at, false, Optional.empty());
        }
    }

    /** @param head the branch's head afterwards; {@code committed}: a new commit was made and the ref moved to it */
    record Result(String head, boolean committed) {
        public Result {
            Objects.requireNonNull(head, "head");
        }
    }

    Result commit(Change change) throws IOException;

    /**
     * Creating the branch ({@link Change#current()} empty) found it already there: nothing was moved. The caller
     * reads the branch's head and decides again (a fixgate commit to update, or a person's to leave alone).
     */
    final class BranchExists extends IOException {
        public BranchExists(String branch, Throwable cause) {
            super("branch " + branch + " already exists", cause);
        }
    }
}
