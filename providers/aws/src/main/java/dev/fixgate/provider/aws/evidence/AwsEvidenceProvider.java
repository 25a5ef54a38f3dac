package dev.fixgate.provider.aws.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.spi.evidence.EvidenceCollector;
import dev.fixgate.spi.evidence.EvidenceProvider;
import dev.fixgate.spi.evidence.ProviderSettings;
import dev.fixgate.spi.evidence.ReadAction;
import dev.fixgate.spi.finding.Cloud;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * AWS evidence: read-only collectors over the AWS SDK for Java v2 (see docs/evidence.md for each kind's API, window
 * and limits). Registered in {@code META-INF/services}; the no-argument constructor uses the SDK's default
 * credential chain as the base identity, from which each configured account's role is assumed.
 */
public final class AwsEvidenceProvider implements EvidenceProvider {

    private final AwsCredentialsProvider base;

    /** The SDK's default credential chain (environment, profile, container or instance role…). */
    public AwsEvidenceProvider() {
        this(null);
    }

    /** A given base identity, e.g. static keys for a local stand-in; {@code null} for the default chain. */
    public AwsEvidenceProvider(AwsCredentialsProvider base) {
        this.base = base;
    }

    @Override
    public Cloud cloud() {
        return Cloud.AWS;
    }

    @Override
    public List<EvidenceCollector> collectors(ProviderSettings settings) {
        AwsClients clients = new AwsClients(settings, base != null ? base : DefaultCredentialsProvider.builder().build());
        return List.of(
                new S3Collector(clients),
                new S3SettingsCollector(clients),
                new TrailTrafficCollector(clients),
                new Ec2Collector(clients),
                new DestinationCollector(clients),
                new ElbCollector(clients),
                new EcrCollector(clients),
                new IamCollector(clients),
                new CloudTrailCollector(clients),
                new LambdaCollector(clients),
                new RdsCollector(clients),
                new RedshiftCollector(clients),
                new SnsCollector(clients),
                new DynamoDbCollector(clients),
                new AlarmsCollector(clients),
                new LogsCollector(clients),
                new TagsCollector(clients));
    }

    /** The kinds no AWS read API can observe, with the reason (the contract test holds the provider to this list). */
    @Override
    public Map<String, String> unobservable() {
        return Unobservable.KINDS;
    }

    /**
     * The least-privilege IAM policy for the evidence role of each account: one Allow statement per service with the
     * read actions the collectors declare, and, when accounts are reached through roles, the base identity's
     * permission to assume them (a separate statement: it belongs to the identity fixgate runs as).
     */
    @Override
    public String permissions(List<EvidenceCollector> collectors) {
        Map<String, Set<String>> byService = new TreeMap<>();
        Set<String> roles = new TreeSet<>();
        for (EvidenceCollector c : collectors) {
            if (c.cloud() != Cloud.AWS) {
                continue;
            }
            for (ReadAction r : c.reads()) {
                String service = r.action().substring(0, r.action().indexOf(':'));
                byService.computeIfAbsent(service, s -> new TreeSet<>()).add(r.action());
            }
            if (c instanceof AwsCollector a) {
                a.clients.settings().accounts().stream().map(ProviderSettings.AccountAccess::role)
                        .filter(role -> !role.isBlank()).forEach(roles::add);
            }
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode policy = json.createObjectNode();
        policy.put("Version", "2012-10-17");
        ArrayNode statements = policy.putArray("Statement");
        byService.forEach((service, actions) -> {
            ObjectNode st = statements.addObject();
            st.put("Sid", "FixgateEvidenceRead" + sid(service));
            st.put("Effect", "Allow");
            ArrayNode a = st.putArray("Action");
            actions.forEach(a::add);
            st.put("Resource", "*");
        });
        if (!roles.isEmpty()) {
            ObjectNode st = statements.addObject();
            st.put("Sid", "FixgateAssumeEvidenceRoles");
            st.put("Effect", "Allow");
            st.put("Action", "sts:AssumeRole");
            ArrayNode res = st.putArray("Resource");
            roles.forEach(res::add);
        }
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sid(String service) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : service.toCharArray()) {
            if (!Character.isLetterOrDigit(c)) {
                up = true;
                continue;
            }
            sb.append(up ? Character.toUpperCase(c) : Character.toLowerCase(c));
            up = false;
        }
        return sb.toString().toLowerCase(Locale.ROOT).isEmpty() ? "Service" : sb.toString();
    }
}
