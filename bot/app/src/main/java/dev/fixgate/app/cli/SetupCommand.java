package dev.fixgate.app.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.web.WebServer;
import dev.fixgate.spi.error.FixgateException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate setup}: the GitHub App manifest for this deployment, so registering the App is one click — GitHub's
 * "create a GitHub App from a manifest" flow, as Probot's {@code app.yml} uses it. The page it prints posts the
 * manifest to GitHub; GitHub creates the App with exactly these permissions and events and shows its id, private key
 * and webhook secret. The permissions are the least fixgate needs (docs/deploy.md says why each).
 */
@Command(name = "setup", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Print the GitHub App manifest for this deployment as a page whose button registers the App",
                "on GitHub in one click (least-privilege permissions and the events fixgate handles)."})
final class SetupCommand implements Callable<Integer> {

    /** What fixgate needs of a repository, and no more. */
    static final Map<String, String> PERMISSIONS = new java.util.LinkedHashMap<>();
    static final List<String> EVENTS = List.of("check_run", "check_suite", "status", "pull_request",
            "pull_request_review", "installation", "installation_repositories");

    static {
        PERMISSIONS.put("contents", "write");
        PERMISSIONS.put("pull_requests", "write");
        PERMISSIONS.put("issues", "write");
        PERMISSIONS.put("checks", "write");
        PERMISSIONS.put("statuses", "read");
        PERMISSIONS.put("members", "read");
        PERMISSIONS.put("metadata", "read");
    }

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--url", required = true, paramLabel = "URL",
            description = "Where this deployment is reached from GitHub, e.g. https://fixgate.example.com")
    String url;

    @Option(names = "--name", defaultValue = "fixgate", description = "The App's name (default ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--org", paramLabel = "ORG", description = "Register the App under this organisation (default: your account).")
    String org;

    @Option(names = "--public", description = "Let other accounts install the App.")
    boolean isPublic;

    @Option(names = "--json", description = "Print only the manifest.")
    boolean json;

    @Override
    public Integer call() {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new FixgateException("cli.bad-url", "--url " + url + " is not a URL");
        }
        if (!"https".equals(base.getScheme()) && !"http".equals(base.getScheme()) || base.getHost() == null) {
            throw new FixgateException("cli.bad-url", "--url must be an http(s) URL with a host: " + url);
        }
        ObjectNode manifest = manifest(base);
        if (json) {
            root.context().out().println(Json.write(manifest));
            return ExitCodes.OK;
        }
        String action = org == null ? "https://github.com/settings/apps/new"
                : "https://github.com/organizations/" + org + "/settings/apps/new";
        root.context().out().println("""
                <!doctype html>
                <meta charset="utf-8"><title>Register the fixgate GitHub App</title>
                <form action="%s" method="post">
                  <p>Registers a GitHub App named <b>%s</b> for %s, receiving webhooks at %s.</p>
                  <input type="hidden" name="manifest" value="%s">
                  <button type="submit">Create the GitHub App</button>
                </form>""".formatted(action, html(name), html(base.toString()), html(base + WebServer.WEBHOOK_PATH),
                html(Json.write(manifest))));
        return ExitCodes.OK;
    }

    ObjectNode manifest(URI base) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("name", name).put("url", base.toString()).put("public", isPublic);
        m.putObject("hook_attributes").put("url", base + WebServer.WEBHOOK_PATH).put("active", true);
        m.put("redirect_url", base.toString());
        ObjectNode permissions = m.putObject("default_permissions");
        PERMISSIONS.forEach(permissions::put);
        EVENTS.forEach(m.putArray("default_events")::add);
        return m;
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
