package dev.fixgate.spi.intake;

import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A cloud's own findings, pulled on a schedule (Defender for Cloud assessments through Resource Graph): the service
 * asks for what changed in one account since a cursor and hands every page to the same intake as any pushed or
 * uploaded input, in {@link #format()} — so a pulled record becomes a finding exactly as the same record in a file
 * would. Read-only: a source declares what it reads ({@link #reads()}), as the evidence collectors do.
 */
public interface FindingSource {

    /** Stable id ({@code azure-defender}): the pull's job kind is {@code fixgate.pull.<id>}, its cursors are kept under it. */
    String id();

    Cloud cloud();

    /** The {@code FindingParser} format every page's body is written in. */
    String format();

    /** The read actions a pull needs (for the cloud's least-privilege role). */
    List<ReadAction> reads();

    /** The accounts (subscriptions, projects) it reads, as configured. */
    List<String> accounts();

    /**
     * Reads what changed in {@code account} at or after {@code since} ({@link Instant#EPOCH}: everything), page by page, oldest
     * change first where the API can order. A record may come again in a later pull: intake recognises it.
     *
     * @throws PullFailedException when a read fails (denied, throttled, timed out): the pages already handed on stay
     *         handed on, and the caller keeps its cursor where it was
     */
    void pull(String account, Instant since, PageSink sink) throws PullFailedException;

    /** Receives the pages of one pull, in order. */
    @FunctionalInterface
    interface PageSink {
        void page(Page page);
    }

    /**
     * One page.
     *
     * @param name    the input's name in ingest summaries and audit entries ({@code azure-defender:<sub>#2})
     * @param body    a document in the source's {@link #format()}
     * @param records records read from the API on this page
     * @param skipped records read but not handed on (not applicable to the resource), counted
     * @param newest  the newest change time on the page, for the cursor; {@link Instant#EPOCH} when it has none
     */
    record Page(String name, byte[] body, int records, int skipped, Instant newest) {
        public Page {
            Objects.requireNonNull(name, "name");
            body = body.clone();
            Objects.requireNonNull(newest, "newest");
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }
}
