/**
 * Runs the durable {@link dev.fixgate.app.store.JobQueue}: {@link dev.fixgate.app.jobs.JobWorkers} claims due jobs
 * on virtual threads and dispatches each to the {@link dev.fixgate.app.jobs.JobHandler} registered for its kind,
 * with retries (exponential backoff with jitter), dead-lettering, lease renewal and reclaiming, and metrics.
 *
 * <p>Infrastructure: this package knows no pipeline stage and no outer layer (web, CLI, GitHub). Whoever owns a
 * kind of work registers its handler from outside when the service is wired ({@code fixgate serve}).
 */
package dev.fixgate.app.jobs;
