package dev.fixgate.provider.gcp;

import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The credentials per project: Application Default Credentials, scoped read-only, impersonating the project's service
 * account ({@code role} in the settings) when one is given. Tests pass {@code NoCredentials}.
 *
 * @param credentials the credentials for a project's access
 */
public record GcpAccess(Function<ProviderSettings.AccountAccess, Credentials> credentials) {

    static final List<String> SCOPES = List.of("https://www.googleapis.com/auth/cloud-platform.read-only");

    public GcpAccess {
        Objects.requireNonNull(credentials, "credentials");
    }

    public static GcpAccess defaults() {
        return new GcpAccess(access -> {
            try {
                GoogleCredentials adc = GoogleCredentials.getApplicationDefault().createScoped(SCOPES);
                return access.role().isBlank() ? adc : ImpersonatedCredentials.create(adc, access.role(), null, SCOPES, 3600);
            } catch (IOException e) {
                throw new UncheckedIOException("no Application Default Credentials", e);
            }
        });
    }
}
