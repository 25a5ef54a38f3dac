package dev.fixgate.localgithub;

import java.util.Map;
import java.util.Optional;

/**
 * One REST request and the response the local GitHub gave, handed to {@link LocalGitHubOptions#exchangeListener()}
 * (the tests validate every one against GitHub's OpenAPI description).
 *
 * @param template the matched route, spelled like the OpenAPI path ({@code /repos/{owner}/{repo}/pulls}); empty for
 *                 an unsupported endpoint
 * @param body     the response body; empty for 204 and 304
 * @param actor    who asked: {@code app:<id>} (a JWT), {@code installation:<id>} (an installation token),
 *                 {@code user:<login>}, or {@code anonymous} (no or unaccepted credentials)
 */
public record Exchange(String method, String path, String query, Optional<String> template, String requestBody,
                       int status, Map<String, String> headers, Optional<String> body, String actor) {}
