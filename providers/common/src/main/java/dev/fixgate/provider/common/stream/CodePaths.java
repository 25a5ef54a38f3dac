package dev.fixgate.provider.common.stream;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * File paths of IaC scanners made comparable: forward slashes (KICS on Windows writes backslashes), no
 * {@code file://} scheme, no leading {@code ./}, percent-escapes of SARIF URIs decoded. A path the scanner gave
 * as absolute stays absolute: which part is the repository is known only to whoever ran the scan.
 */
public final class CodePaths {

    private CodePaths() {
    }

    public static String normalise(String uri) {
        String p = uri.strip();
        boolean isUri = false;
        if (p.regionMatches(true, 0, "file://", 0, 7)) {
            p = p.substring(7);
            isUri = true;
        } else if (p.regionMatches(true, 0, "file:", 0, 5)) {
            p = p.substring(5);
            isUri = true;
        }
        if (isUri || p.contains("%")) {
            try {
                p = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // Not percent-encoded after all ("100%.tf"): keep it as written.
            }
        }
        p = p.replace('\\', '/');
        if (isUri && p.matches("/[A-Za-z]:/.*")) {
            p = p.substring(1); // file:///C:/x → C:/x
        }
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }
}
