package dev.fixgate.provider.aws.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.localaws.LocalAws;
import dev.fixgate.localaws.Model;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The collectors added for the catalog's playbooks, end to end through the real SDK clients against local AWS. */
class CatalogKindsCollectorsTest {

    static final String A = LocalAwsFixture.ACCOUNT;

    LocalAwsFixture fx;
    Model.Scenario scenario;
    Model.Region region;

    @BeforeEach
    void start() {
        scenario = LocalAws.demoScenario();
        region = scenario.accounts.get(0).region("us-east-1");
    }

    @AfterEach
    void stop() {
        if (fx != null) {
            assertThat(fx.aws.writes()).as("collectors only read").isEmpty();
            fx.close();
        }
    }

    static Model.LogStream stream(String name, String first, String last) {
        Model.LogStream s = new Model.LogStream();
        s.name = name;
        s.firstEvent = first;
        s.lastEvent = last;
        return s;
    }

    @Test
    void theOldestEventIsTheSmallestFirstEventOfEveryStreamPage() {
        Model.LogGroup g = new Model.LogGroup();
        g.name = "/aws/lambda/orders";
        for (int i = 0; i < 120; i++) {
            g.streams.add(stream(String.format("2026/11/%02d/[$LATEST]%03d", 1 + i % 28, i), "-" + (10 + i % 50) + "d", "-1d"));
        }
        g.streams.add(stream("2025/03/02/[$LATEST]old", "-412d", "-300d"));
        g.streams.add(stream("2026/11/20/[$LATEST]empty", "", ""));
        region.logGroups.add(g);
        Model.LogGroup fresh = new Model.LogGroup();
        fresh.name = "/aws/lambda/fresh";
        fresh.streams.add(stream("a", "", ""));
        region.logGroups.add(fresh);
        fx = new LocalAwsFixture(scenario);

        Map<String, Observed> got = fx.collect(LocalAwsFixture.resource("AwsLogsLogGroup",
                "arn:aws:logs:us-east-1:" + A + ":log-group:/aws/lambda/orders:*"), "logs.oldest_event_age_days");

        Observed oldest = got.get("logs.oldest_event_age_days");
        assertThat(oldest.value()).as("the stream on the last page holds the oldest event").isEqualTo(412L);
        assertThat(oldest.provenance().api()).isEqualTo("logs:DescribeLogStreams");
        assertThat(fx.aws.calls("logs", "DescribeLogStreams")).as("122 streams in pages of 50").isEqualTo(3);

        Map<String, Observed> none = fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "aws_cloudwatch_log_group",
                "/aws/lambda/fresh"), "logs.oldest_event_age_days");
        assertThat(none.get("logs.oldest_event_age_days").value()).as("no event stored: a retention deletes nothing").isEqualTo(0L);
    }

    @Test
    void aMissingGroupTooManyStreamsAndAccessDeniedAreUnavailable() {
        Model.LogGroup g = new Model.LogGroup();
        g.name = "busy";
        for (int i = 0; i < 120; i++) {
            g.streams.add(stream("s" + i, "-3d", "-1d"));
        }
        region.logGroups.add(g);
        fx = new LocalAwsFixture(scenario).option("logs.max_stream_pages", "2");
        CloudResource busy = new CloudResource(Cloud.AWS, A, "us-east-1", "AWS::Logs::LogGroup", "busy");

        assertThat(fx.collect(busy, "logs.oldest_event_age_days").get("logs.oldest_event_age_days").unavailable())
                .isEqualTo("the log group busy has more than 100 streams (logs.max_stream_pages): the oldest event was not found");
        Observed gone = fx.collect(new CloudResource(Cloud.AWS, A, "us-east-1", "AWS::Logs::LogGroup", "gone"),
                "logs.oldest_event_age_days").get("logs.oldest_event_age_days");
        assertThat(gone.unavailable()).isEqualTo("the log group gone does not exist in us-east-1");

        fx.aws.denyAccess("logs", "DescribeLogStreams");
        assertThat(fx.collect(busy, "logs.oldest_event_age_days").get("logs.oldest_event_age_days").unavailable())
                .startsWith("AccessDenied").contains("logs:DescribeLogStreams");
    }
}
