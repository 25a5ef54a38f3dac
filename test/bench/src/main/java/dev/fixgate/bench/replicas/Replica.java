package dev.fixgate.bench.replicas;

import dev.fixgate.app.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code fixgate serve} replica in a JVM of its own, started as serve runs (its main class and options, configured
 * through the environment), on a free loopback port. It can be killed the hard way ({@code kill -9} of its PID) and
 * started again on the same home; each start may listen on another port. Its output goes to {@code serve.log} in its
 * home, appended across restarts.
 */
final class Replica {

    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+)");

    private final String name;
    private final Path home;
    private final Map<String, String> env;
    private final String maxHeap;
    private volatile Process process;
    private volatile int port;
    private volatile boolean up;

    Replica(String name, Path home, Map<String, String> env, String maxHeap) {
        this.name = name;
        this.home = home;
        this.env = Map.copyOf(env);
        this.maxHeap = maxHeap;
    }

    String name() {
        return name;
    }

    /** Starts serve and waits (at most 3 minutes) until it listens. */
    void start() throws Exception {
        Files.createDirectories(home);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + maxHeap, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--bind", "127.0.0.1", "--port", "0"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("FIXGATE_HOME", home.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        Path log = home.resolve("serve.log");
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardOpenOption.CREATE,
                         StandardOpenOption.APPEND))) {
                out.println("---- start, pid " + p.pid());
                String line;
                while ((line = r.readLine()) != null) {
                    out.println(line);
                    Matcher m = SERVING.matcher(line);
                    if (m.find()) {
                        listening.complete(Integer.parseInt(m.group(1)));
                        out.flush();
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.completeExceptionally(new IllegalStateException(name + " exited before serving; see " + log));
        });
        try {
            port = listening.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
        process = p;
        up = true;
    }

    /** {@code kill -9 <pid>}: no shutdown hook, nothing flushed. Returns once the process is gone. */
    void kill9() throws Exception {
        Process p = process;
        up = false;
        new ProcessBuilder("kill", "-9", Long.toString(p.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(name + " (pid " + p.pid() + ") survived kill -9");
        }
    }

    /** SIGTERM, then (after a minute) SIGKILL. */
    void stop() throws InterruptedException {
        Process p = process;
        up = false;
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Whether it is started and not killed (it may still have died on its own: then requests to it fail). */
    boolean up() {
        return up && process.isAlive();
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return home.resolve("serve.log");
    }
}
