package dev.fixgate.app.locate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A local HTTP stand-in for S3 answering GetObject in S3's REST wire format (path-style {@code GET /bucket/key}; the
 * object as the body with {@code ETag}, {@code Last-Modified} and {@code Content-Length}; errors as S3's XML
 * {@code <Error>} documents), and the real SDK client pointed at it.
 */
final class S3StandIn implements AutoCloseable {

    final WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    S3StandIn() {
        server.start();
    }

    /** {@code s3://bucket/key} holds {@code body}. */
    void object(String bucket, String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo("/" + bucket + "/" + key)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("ETag", "\"" + md5(bytes) + "\"")
                .withHeader("Last-Modified", "Mon, 07 Dec 2026 16:00:00 GMT")
                .withHeader("x-amz-request-id", "4442587FB7D0A2F9")
                .withHeader("x-amz-server-side-encryption", "AES256")
                .withBody(bytes)));
    }

    /** {@code GET /bucket/key} answers with S3's error document. */
    void error(String bucket, String key, int status, String code, String message) {
        server.stubFor(get(urlPathEqualTo("/" + bucket + "/" + key)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/xml")
                .withHeader("x-amz-request-id", "0A49CE4060975EAC")
                .withBody("""
                        <?xml version="1.0" encoding="UTF-8"?>
                        <Error><Code>%s</Code><Message>%s</Message><Key>%s</Key><RequestId>0A49CE4060975EAC</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>"""
                        .formatted(code, message, key))));
    }

    /** The SDK's S3 client as the wiring builds it, but with test credentials, at the stand-in, path-style. */
    S3Client client(String region) {
        return S3Client.builder()
                .region(Region.of(region))
                .endpointOverride(URI.create(server.baseUrl()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE",
                        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")))
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    S3StateReader reader() {
        return new S3StateReader(this::client, "eu-west-1");
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
