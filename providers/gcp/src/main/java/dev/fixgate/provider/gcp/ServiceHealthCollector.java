package dev.fixgate.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code incident.active}: an active Personalized Service Health event of the project that impacts the resource's
 * product in its location (or globally). Cloud Monitoring's alert incidents have no list API, so an alert firing on
 * the resource cannot be seen; a Google-side incident can.
 */
final class ServiceHealthCollector extends GcpCollector {

    static final int MAX_PAGES = 10;

    ServiceHealthCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.servicehealth", Set.of(EvidenceKinds.INCIDENT_ACTIVE), List.of(GcpReads.HEALTH_EVENTS),
                EnumSet.allOf(GcpResource.Kind.class), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        boolean active = false;
        String token = "";
        for (int page = 0; page < MAX_PAGES && !active; page++) {
            String t = token;
            GoogleRest.Page p = ctx.budget().call(GcpReads.HEALTH_EVENTS,
                    () -> ctx.sdk().rest().get().listEvents(ctx.project(), "state=ACTIVE", t), GcpFailures::classify);
            active = p.items().stream().anyMatch(e -> impacts(e, ctx));
            token = p.nextPageToken();
            if (token.isEmpty()) {
                break;
            }
        }
        ctx.answers().observed(EvidenceKinds.INCIDENT_ACTIVE, active, ctx.provenance(GcpReads.HEALTH_EVENTS));
    }

    private static boolean impacts(JsonNode event, Ctx ctx) {
        if (!"ACTIVE".equals(event.path("state").asText())) {
            return false;
        }
        String location = (ctx.resource().location().isEmpty() ? ctx.request().resource().region() : ctx.resource().location())
                .toLowerCase(Locale.ROOT);
        for (JsonNode impact : event.path("eventImpacts")) {
            String product = impact.path("product").path("productName").asText("");
            String where = impact.path("location").path("locationName").asText("").toLowerCase(Locale.ROOT);
            boolean ours = ctx.resource().products().stream().anyMatch(product::equalsIgnoreCase);
            boolean here = where.equals("global") || where.isEmpty() || (!location.isEmpty()
                    && (location.equals(where) || location.startsWith(where + "-")));
            if (ours && here) {
                return true;
            }
        }
        return false;
    }
}
