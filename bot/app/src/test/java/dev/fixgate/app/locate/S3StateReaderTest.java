package dev.fixgate.app.locate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.fixgate.spi.error.FixgateException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The S3 backend read through the real AWS SDK client, against a stand-in speaking S3's REST wire format. */
class S3StateReaderTest {

    private final S3StandIn s3 = new S3StandIn();
    private final S3StateReader reader = s3.reader();

    @AfterEach
    void stop() {
        reader.close();
        s3.close();
    }

    @Test
    void readsTheObjectWithOneSignedGetObject() {
        s3.object("acme-tfstate", "infra/terraform.tfstate", "{\"version\": 4, \"resources\": []}");

        byte[] bytes = reader.read("acme-tfstate", "infra/terraform.tfstate", "", 1 << 20);

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"version\": 4, \"resources\": []}");
        s3.server.verify(1, getRequestedFor(urlPathEqualTo("/acme-tfstate/infra/terraform.tfstate"))
                .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/s3/aws4_request.*")));
        // read-only by construction: nothing but that GET reached S3
        s3.server.verify(1, anyRequestedFor(anyUrl()));
    }

    @Test
    void aMissingKeyADenialAndAServerErrorAreTypedAndNameTheObject() {
        s3.error("acme-tfstate", "env:/prod/infra/terraform.tfstate", 404, "NoSuchKey", "The specified key does not exist.");
        s3.error("acme-tfstate", "locked.tfstate", 403, "AccessDenied", "Access Denied");
        s3.error("acme-tfstate", "flaky.tfstate", 503, "SlowDown", "Please reduce your request rate.");

        FixgateException missing = catchThrowableOfType(FixgateException.class,
                () -> reader.read("acme-tfstate", "env:/prod/infra/terraform.tfstate", "", 1 << 20));
        FixgateException denied = catchThrowableOfType(FixgateException.class,
                () -> reader.read("acme-tfstate", "locked.tfstate", "", 1 << 20));
        FixgateException busy = catchThrowableOfType(FixgateException.class,
                () -> reader.read("acme-tfstate", "flaky.tfstate", "", 1 << 20));

        assertThat(missing.code()).isEqualTo(S3StateReader.MISSING);
        assertThat(missing.toString()).startsWith("s3://acme-tfstate/env:/prod/infra/terraform.tfstate: no state object");
        assertThat(denied.code()).isEqualTo(S3StateReader.DENIED);
        assertThat(denied.getMessage()).contains("s3:GetObject", "kms:Decrypt");
        assertThat(busy.code()).isEqualTo(S3StateReader.UNREADABLE);
        assertThat(busy.getMessage()).contains("503", "SlowDown");
        // the SDK retried the throttled read before giving up; the others were final at once
        s3.server.verify(3, getRequestedFor(urlPathEqualTo("/acme-tfstate/flaky.tfstate")));
        s3.server.verify(1, getRequestedFor(urlPathEqualTo("/acme-tfstate/locked.tfstate")));
    }

    @Test
    void aStateOverTheBudgetIsNotDownloaded() {
        s3.object("acme-tfstate", "big.tfstate", "{\"version\": 4, \"resources\": [" + "{}, ".repeat(1000) + "{}]}");
        // a server that does not say how long the object is: the read stops one byte past the budget
        s3.server.stubFor(get(urlPathEqualTo("/acme-tfstate/chunked.tfstate")).willReturn(aResponse().withStatus(200)
                .withHeader("Transfer-Encoding", "chunked").withBody("x".repeat(5000))));

        FixgateException declared = catchThrowableOfType(FixgateException.class,
                () -> reader.read("acme-tfstate", "big.tfstate", "", 2048));
        FixgateException streamed = catchThrowableOfType(FixgateException.class,
                () -> reader.read("acme-tfstate", "chunked.tfstate", "", 2048));

        assertThat(declared.code()).isEqualTo(S3StateReader.TOO_LARGE);
        assertThat(declared.toString()).startsWith("s3://acme-tfstate/big.tfstate: the state is ").contains("2048 bytes");
        assertThat(streamed.code()).isEqualTo(S3StateReader.TOO_LARGE);
    }

    @Test
    void theBackendsRegionChoosesTheClient() {
        s3.object("acme-tfstate", "us.tfstate", "{}");

        reader.read("acme-tfstate", "us.tfstate", "us-east-2", 1024);

        s3.server.verify(getRequestedFor(urlPathEqualTo("/acme-tfstate/us.tfstate"))
                .withHeader("Authorization", matching(".*/us-east-2/s3/aws4_request.*")));
    }
}
