package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.JobQueue.Job;
import dev.fixgate.app.store.JobQueue.Status;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fixgate jobs}: look at the durable job queue and requeue dead jobs. */
@Command(name = "jobs", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Inspect the job queue (webhook deliveries and other background work) and retry dead jobs.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Retry.class})
final class JobsCommand extends DatabaseCommand {

    @Command(name = "list", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "List jobs, newest first, with the queue's counts by status.")
    static final class ListJobs extends DatabaseSubcommand {

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Only jobs in this status: ${COMPLETION-CANDIDATES}.")
        Status status;

        @Option(names = "--limit", defaultValue = "50", description = "How many jobs (default ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "One JSON object: counts and jobs.")
        boolean json;

        @Override
        int run(AppContext ctx) {
            requireLimit(limit, 10_000);
            JobQueue queue = new JobQueue(ctx.database());
            Map<Status, Long> counts = queue.counts();
            List<Job> list = queue.list(Optional.ofNullable(status), limit);
            PrintStream out = ctx.out();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("counts", counts);
                body.put("jobs", list.stream().map(JobsCommand::view).toList());
                out.println(Json.write(body));
                return ExitCodes.OK;
            }
            out.println("queued " + counts.get(Status.QUEUED) + ", running " + counts.get(Status.RUNNING) + ", dead "
                    + counts.get(Status.DEAD) + ", done " + counts.get(Status.DONE));
            for (Job j : list) {
                out.println(String.format("%8d  %-7s  %-22s  %2d/%-2d  %s  %s", j.id(), j.status(), j.kind(), j.attempts(),
                        j.maxAttempts(), j.status() == Status.QUEUED ? "due " + j.runAfter() : "updated " + j.updatedAt(),
                        j.lastError().isEmpty() ? "" : "  " + firstLine(j.lastError())));
            }
            if (list.isEmpty()) {
                out.println(status == null ? "(no jobs)" : "(no " + status + " jobs)");
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = {"Queue a DEAD job again with fresh attempts (or run a QUEUED job now).",
                    "Exit 1 when the job does not exist or is running or done."})
    static final class Retry extends DatabaseSubcommand {

        @ArgGroup(multiplicity = "1")
        Which which;

        static final class Which {
            @Parameters(paramLabel = "ID", description = "The job's id (see `fixgate jobs list`).")
            Long id;

            @Option(names = "--all-dead", description = "Every DEAD job.")
            boolean allDead;
        }

        @Override
        int run(AppContext ctx) {
            JobQueue queue = new JobQueue(ctx.database());
            if (which.allDead) {
                int n = queue.retryAllDead(ctx.clock().instant());
                ctx.out().println("queued " + n + " dead job" + (n == 1 ? "" : "s") + " again");
                return ExitCodes.OK;
            }
            if (queue.retry(which.id, ctx.clock().instant())) {
                ctx.out().println("job " + which.id + " queued");
                return ExitCodes.OK;
            }
            Optional<Job> job = queue.find(which.id);
            ctx.err().println("fixgate: " + (job.isEmpty() ? "no job " + which.id
                    : "job " + which.id + " is " + job.get().status() + "; only DEAD or QUEUED jobs can be retried"));
            return ExitCodes.FINDINGS;
        }
    }

    private static Map<String, Object> view(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("kind", j.kind());
        m.put("status", j.status());
        m.put("attempts", j.attempts());
        m.put("max_attempts", j.maxAttempts());
        m.put("run_after", j.runAfter());
        m.put("locked_by", j.lockedBy());
        m.put("last_error", j.lastError());
        m.put("created_at", j.createdAt());
        m.put("updated_at", j.updatedAt());
        return m;
    }

    private static String firstLine(String s) {
        String line = s.lines().findFirst().orElse("");
        return line.length() <= 120 ? line : line.substring(0, 119) + "…";
    }
}
