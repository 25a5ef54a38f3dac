package dev.fixgate.app.service;

import dev.fixgate.app.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fixgate serve} in a JVM of its own, started by this test process, so a test can kill it the hard way
 * ({@code kill -9} of its PID) and start it again on the same state. Its output is kept for failure messages.
 */
public final class ServeProcess implements AutoCloseable {

    public static final String WEBHOOK_SECRET = "kill-test-webhook-secret-0123456789";
    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final StringBuffer output;

    private ServeProcess(Process process, int port, StringBuffer output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    /**
     * Starts serve on a free loopback port with {@code home} as its state directory and waits until it listens.
     *
     * @param env more environment (a database URL, a GitHub API URL, a private key); the webhook secret is set here
     */
    public static ServeProcess start(Path home, Map<String, String> env, String... jvmOptions) throws Exception {
        String javaCommand = ProcessHandle.current().info().command().orElse("java");
        java.util.List<String> command = new java.util.ArrayList<>();
        command.add(javaCommand);
        command.addAll(java.util.List.of(jvmOptions));
        command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--bind", "127.0.0.1", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FIXGATE_HOME", home.toString());
        pb.environment().put("FIXGATE_GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET);
        pb.environment().putAll(env);
        Process p = pb.start();
        StringBuffer output = new StringBuffer();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (output.length() < 200_000) {
                        output.append(line).append('\n');
                    }
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException("serve exited before serving:\n" + output));
        });
        try {
            return new ServeProcess(p, listening.get(180, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        return output.toString();
    }

    /** {@code kill -9 <pid>}: no shutdown hook, no graceful close, nothing flushed. Waits until the process is gone. */
    public void kill9() throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(process.pid())).inheritIO().start();
        kill.waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("serve " + process.pid() + " survived kill -9");
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
            }
        }
    }
}
