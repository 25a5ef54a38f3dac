package dev.fixgate.bench.intake;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fixgate.app.config.Secret;
import dev.fixgate.app.github.WebhookSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the benchmark posts: real GitHub webhook payloads from the shared corpus ({@code @octokit/webhooks-examples},
 * MIT; /work/shared/corpus/github/webhooks/&lt;event&gt;/*.json), sent compact as GitHub sends them, each with its
 * event and its {@code X-Hub-Signature-256}. {@code ping}: the four real ping payloads (2–7 KB); {@code mix}: every
 * example of every event, in turn (101 payloads, 1–30 KB). The bodies are signed once here: the signature covers
 * the body only, and the delivery id (a header) is new for every request, so every request is a delivery serve has
 * not seen, verified and stored in full.
 */
record Deliveries(String name, List<Delivery> all) {

    record Delivery(String event, byte[] body, String signature) {
    }

    static final Path CORPUS = Path.of(System.getProperty("fixgate.webhooks.corpus",
            "/work/shared/corpus/github/webhooks"));

    static Deliveries load(String name, Secret secret) {
        ObjectMapper mapper = new ObjectMapper();
        List<Delivery> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CORPUS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                String event = file.getParent().getFileName().toString();
                if (name.equals("ping") && !event.equals("ping")) {
                    continue;
                }
                byte[] body = mapper.writeValueAsBytes(mapper.readTree(file.toFile()));
                out.add(new Delivery(event, body, WebhookSignature.sign(secret, body)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the webhook corpus at " + CORPUS, e);
        }
        if (out.isEmpty() || !(name.equals("ping") || name.equals("mix"))) {
            throw new IllegalArgumentException("payload must be ping or mix (corpus at " + CORPUS + ")");
        }
        return new Deliveries(name, List.copyOf(out));
    }

    Delivery get(long n) {
        return all.get((int) (n % all.size()));
    }

    long meanBytes() {
        return all.stream().mapToLong(d -> d.body().length).sum() / all.size();
    }
}
