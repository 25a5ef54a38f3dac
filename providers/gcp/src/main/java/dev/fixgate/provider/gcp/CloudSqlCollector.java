package dev.fixgate.provider.gcp;

import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code cloudsql.unencrypted_connections_7d}: PostgreSQL's {@code log_connections} lines ("connection authorized:
 * … SSL enabled (protocol=…)" when the client used TLS) in the instance's {@code postgres.log}, 7 days: those
 * without "SSL enabled". No connection line at all means the flag is off or the engine is not PostgreSQL (MySQL and
 * SQL Server do not log a connection's TLS state): unavailable, not zero.
 */
final class CloudSqlCollector extends GcpCollector {

    static final String UNENCRYPTED = "cloudsql.unencrypted_connections_7d";

    CloudSqlCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.cloudsql", Set.of(UNENCRYPTED), List.of(GcpReads.LOG_ENTRIES),
                EnumSet.of(GcpResource.Kind.SQL_INSTANCE), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        GcpResource r = ctx.resource();
        String connections = "resource.type=\"cloudsql_database\" AND resource.labels.database_id="
                + LogCount.quote(r.project() + ":" + r.name())
                + " AND logName=" + LogCount.quote("projects/" + r.project() + "/logs/cloudsql.googleapis.com%2Fpostgres.log")
                + " AND textPayload:\"connection authorized\"";
        Instant from = ctx.from(Duration.ofDays(7));
        Instant to = ctx.request().now();
        long all = LogCount.count(ctx, connections, from, to, GcpReads.LOG_ENTRIES);
        if (all == 0) {
            ctx.answers().unavailable(UNENCRYPTED, "no PostgreSQL connection log lines in 7 days: log_connections is off,"
                    + " the instance is idle, or it is not PostgreSQL (MySQL and SQL Server do not log a connection's TLS state)",
                    ctx.provenance(GcpReads.LOG_ENTRIES));
            return;
        }
        long plain = LogCount.count(ctx, connections + " AND NOT textPayload:\"SSL enabled\"", from, to, GcpReads.LOG_ENTRIES);
        ctx.answers().observed(UNENCRYPTED, plain, ctx.provenance(GcpReads.LOG_ENTRIES));
    }
}
