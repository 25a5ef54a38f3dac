package dev.fixgate.provider.aws.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Event;
import software.amazon.awssdk.services.cloudtrail.model.LookupAttributeKey;
import software.amazon.awssdk.services.cloudtrail.model.LookupEventsResponse;

/**
 * ECR: pushes that moved an existing tag in 30 days. A push is the management event {@code PutImage}, which the
 * CloudTrail event history keeps for 90 days without a trail: {@code LookupEvents} (event name {@code PutImage},
 * every page), keeping the repository's events; in time order, a push of a tag that already pointed at another digest
 * is an overwrite. A tag's first push in the window is not counted: what it pointed at before is not known.
 */
final class EcrCollector extends AwsCollector {

    static final String OVERWRITES = "ecr.tag_overwrites_30d";

    EcrCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.ecr";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(OVERWRITES);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.ECR_REPOSITORY);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(read("cloudtrail:LookupEvents", "LookupEvents", "the PutImage events of 30 days"));
    }

    private record Push(Instant at, String tag, String digest) {
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        CloudTrailClient ct = clients.cloudTrail(ctx.account(), ctx.region());
        Instant end = ctx.now();
        Instant start = end.minus(Duration.ofDays(30));
        List<Push> pushes = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            LookupEventsResponse r = ctx.call("cloudtrail:LookupEvents", () -> ct.lookupEvents(b -> b
                    .lookupAttributes(a -> a.attributeKey(LookupAttributeKey.EVENT_NAME).attributeValue("PutImage"))
                    .startTime(start).endTime(end).maxResults(50).nextToken(t).overrideConfiguration(ctx.budget::apply)));
            for (Event e : r.events()) {
                JsonNode ev = Policies.parse(e.cloudTrailEvent());
                JsonNode req = ev.path("requestParameters");
                if (!req.path("repositoryName").asText("").equals(ctx.target.id()) || req.path("imageTag").asText("").isEmpty()) {
                    continue;
                }
                String digest = ev.path("responseElements").path("image").path("imageId").path("imageDigest").asText("");
                pushes.add(new Push(e.eventTime(), req.path("imageTag").asText(), digest));
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        pushes.sort(Comparator.comparing(Push::at));
        Map<String, String> current = new HashMap<>();
        long overwrites = 0;
        for (Push p : pushes) {
            String before = current.put(p.tag(), p.digest());
            if (before != null && !before.equals(p.digest())) {
                overwrites++;
            }
        }
        return ctx.value(kind, overwrites, "cloudtrail:LookupEvents");
    }
}
