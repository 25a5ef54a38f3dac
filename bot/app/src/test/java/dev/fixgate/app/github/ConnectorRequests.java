package dev.fixgate.app.github;

import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.kohsuke.github.connector.GitHubConnectorRequest;

/** github-api connector requests without headers or body, for tests of connectors and response handlers. */
final class ConnectorRequests {

    private ConnectorRequests() {
    }

    static GitHubConnectorRequest of(String method, String url) {
        URL parsed;
        try {
            parsed = URI.create(url).toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
        return new GitHubConnectorRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public Map<String, List<String>> allHeaders() {
                return Map.of();
            }

            @Override
            public String header(String name) {
                return null;
            }

            @Override
            public String contentType() {
                return null;
            }

            @Override
            public InputStream body() {
                return null;
            }

            @Override
            public URL url() {
                return parsed;
            }

            @Override
            public boolean hasBody() {
                return false;
            }
        };
    }
}
