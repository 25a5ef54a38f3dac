package dev.fixgate.app.locate;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Reads the Terraform state object an S3 backend names, with {@code s3:GetObject} and nothing else (plus
 * {@code kms:Decrypt} when the object is SSE-KMS encrypted: S3 asks KMS on the caller's behalf). Read-only by
 * construction: this class calls no other S3 operation. One client per region, made on first use by the function
 * the wiring gives (credentials, endpoint override, HTTP client, timeouts are the wiring's); built only in
 * {@code dev.fixgate.app.wiring}.
 *
 * <p>Errors are {@link FixgateException}s naming the object ({@code s3://bucket/key}) and never its content:
 * {@code locate.state-missing}, {@code locate.state-denied}, {@code locate.state-too-large},
 * {@code locate.state-unreadable}.
 */
public final class S3StateReader implements AutoCloseable {

    public static final String MISSING = "locate.state-missing";
    public static final String DENIED = "locate.state-denied";
    public static final String TOO_LARGE = StateSources.TOO_LARGE;
    public static final String UNREADABLE = "locate.state-unreadable";

    /** The only S3 API operation this reader calls; what its IAM policy must allow. */
    public static final String READ_ACTION = "s3:GetObject";

    private final Function<String, S3Client> clientFor;
    private final String defaultRegion;
    private final Map<String, S3Client> clients = new ConcurrentHashMap<>();

    /**
     * @param clientFor     builds the client of a region (called once per region)
     * @param defaultRegion the region of a backend that names none
     */
    public S3StateReader(Function<String, S3Client> clientFor, String defaultRegion) {
        this.clientFor = Objects.requireNonNull(clientFor, "clientFor");
        this.defaultRegion = Objects.requireNonNull(defaultRegion, "defaultRegion");
        if (defaultRegion.isBlank()) {
            throw new IllegalArgumentException("a default region is required");
        }
    }

    /**
     * The object's bytes, at most {@code maxBytes} of them.
     *
     * @param region the backend's region; empty for the default
     */
    public byte[] read(String bucket, String key, String region, long maxBytes) {
        if (maxBytes < 1 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes out of range: " + maxBytes);
        }
        String where = "s3://" + bucket + "/" + key;
        SourceLocation at = SourceLocation.of(where);
        S3Client s3 = clients.computeIfAbsent(region.isBlank() ? defaultRegion : region, clientFor);
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(key).build();
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort();
                throw tooLarge(at, length, maxBytes);
            }
            byte[] bytes = in.readNBytes((int) maxBytes + 1);
            if (bytes.length > maxBytes) {
                in.abort();
                throw tooLarge(at, bytes.length, maxBytes);
            }
            return bytes;
        } catch (NoSuchKeyException e) {
            throw new FixgateException(MISSING, "no state object (the bucket has no such key)", at, null);
        } catch (S3Exception e) {
            int status = e.statusCode();
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? ""
                    : e.awsErrorDetails().errorCode();
            if (status == 403) {
                throw new FixgateException(DENIED, "access denied: fixgate's credentials need " + READ_ACTION
                        + " on it (and kms:Decrypt when it is SSE-KMS encrypted)", at, null);
            }
            if (status == 404) {
                throw new FixgateException(MISSING, "no state object (" + (code.isEmpty() ? "not found" : code) + ")", at, null);
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                throw new FixgateException(UNREADABLE, "the bucket is not in region " + (region.isBlank() ? defaultRegion
                        : region) + "; set region in the backend block", at, null);
            }
            throw new FixgateException(UNREADABLE, "S3 answered " + status + (code.isEmpty() ? "" : " " + code), at, null);
        } catch (SdkClientException e) {
            // the SDK's client-side messages name the endpoint or the credential providers tried, never a secret
            throw new FixgateException(UNREADABLE, "could not read it: " + e.getMessage(), at, null);
        } catch (IOException e) {
            throw new FixgateException(UNREADABLE, "the download failed: " + e.getClass().getSimpleName(), at, null);
        }
    }

    private static FixgateException tooLarge(SourceLocation at, long size, long max) {
        return new FixgateException(TOO_LARGE, "the state is " + size + " bytes, over the limit of " + max
                + " bytes (terraform_state.max_bytes in fixgate.yml); not read", at, null);
    }

    @Override
    public void close() {
        clients.values().forEach(S3Client::close);
        clients.clear();
    }
}
