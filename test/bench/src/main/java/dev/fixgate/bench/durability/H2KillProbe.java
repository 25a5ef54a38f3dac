package dev.fixgate.bench.durability;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;

/**
 * How many acknowledged commits an H2 file database loses to {@code kill -9}, per setting: a child JVM inserts one row
 * per transaction and prints each id once {@code commit()} returned; the parent reads the ids for a few seconds,
 * kills the child with {@code kill -9} (by its PID), reopens the database and counts acknowledged ids missing.
 * The measurement behind {@code WRITE_DELAY=0} in {@code Database.embeddedUrl}.
 *
 * <pre>./bench run dev.fixgate.bench.durability.H2KillProbe [seconds]</pre>
 */
public final class H2KillProbe {

    private H2KillProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1], args[2].equals("sync"));
            return;
        }
        long seconds = args.length > 0 ? Long.parseLong(args[0]) : 5;
        for (String[] variant : new String[][] {{"H2 default", "", "plain"}, {"WRITE_DELAY=0", ";WRITE_DELAY=0", "plain"},
                {"default + CHECKPOINT SYNC per commit", "", "sync"}}) {
            Path dir = Files.createTempDirectory("h2-kill-probe-");
            String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL" + variant[1];
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), H2KillProbe.class.getName(), "child", url, variant[2])
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
            // The clock starts at the first acknowledged commit, not at the JVM's start.
            String line = out.readLine();
            long acknowledged = line == null ? 0 : Long.parseLong(line);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line);
            }
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            child.waitFor();
            while ((line = out.readLine()) != null) {
                acknowledged = Long.parseLong(line);
            }
            try (Connection c = DriverManager.getConnection(url);
                 ResultSet rs = c.createStatement().executeQuery("SELECT COALESCE(MAX(id), 0) FROM t")) {
                rs.next();
                long stored = rs.getLong(1);
                System.out.printf("%-40s acknowledged %,8d  stored %,8d  lost %,6d  (%,.0f commits/s)%n", variant[0],
                        acknowledged, stored, Math.max(0, acknowledged - stored), acknowledged / (double) seconds);
            }
        }
    }

    private static void child(String url, boolean sync) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS t (id BIGINT PRIMARY KEY, pad VARCHAR(2000))");
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
            String pad = "x".repeat(500);
            for (long i = 1; ; i++) {
                ps.setLong(1, i);
                ps.setString(2, pad);
                ps.executeUpdate();
                c.commit();
                if (sync) {
                    c.createStatement().execute("CHECKPOINT SYNC");
                }
                System.out.println(i);
                System.out.flush();
            }
        }
    }
}
