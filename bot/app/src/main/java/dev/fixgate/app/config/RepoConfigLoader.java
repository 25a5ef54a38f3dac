package dev.fixgate.app.config;

import static dev.fixgate.app.config.ConfigText.bool;
import static dev.fixgate.app.config.ConfigText.list;
import static dev.fixgate.app.config.ConfigText.map;
import static dev.fixgate.app.config.ConfigText.number;
import static dev.fixgate.app.config.ConfigText.string;
import static dev.fixgate.app.config.ConfigText.strings;

import dev.fixgate.app.config.RepoConfig.Automerge;
import dev.fixgate.app.config.RepoConfig.Caps;
import dev.fixgate.app.config.RepoConfig.ChangeWindow;
import dev.fixgate.app.config.RepoConfig.Exclusions;
import dev.fixgate.app.config.RepoConfig.Grouping;
import dev.fixgate.app.config.RepoConfig.MergeMethod;
import dev.fixgate.app.config.RepoConfig.Mode;
import dev.fixgate.app.config.RepoConfig.Reviewers;
import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads {@code .github/fixgate.yml} text, validated against {@code repo-config.schema.json}.
 *
 * <p>Organisation defaults: the owner's repository named {@code .github} may hold the same file at the same path
 * ({@code .github/fixgate.yml}); a repository's own file is laid over it key by key ({@link YamlDocument#overlay}:
 * mappings merge deeply, lists and values replace). Each file must be valid on its own — an invalid defaults file
 * fails every repository that would use it, exactly as an invalid own file does — and the merged document is
 * checked again; every problem names the file that holds the offending key.
 */
public final class RepoConfigLoader {

    /** Where fixgate looks for a repository's configuration, and for its organisation's defaults, on the default branch. */
    public static final String PATH = ".github/fixgate.yml";

    /** The schema, compiled on first use: a command that reads no configuration file does not pay for it. */
    private static final class Schema {
        static final SchemaCheck CHECK = SchemaCheck.load("repo-config.schema.json");
    }

    /**
     * One configuration file.
     *
     * @param name used in locations, e.g. {@code acme/infra:.github/fixgate.yml}
     */
    public record Source(String name, String text) {
        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(text, "text");
        }

        /** Decodes a file's bytes as UTF-8, refusing oversized files and invalid encodings with a located problem. */
        public static Source utf8(String name, byte[] bytes) {
            if (bytes.length > ConfigText.MAX_FILE_BYTES) {
                throw ConfigException.single(new ConfigProblem("config.yaml-limit", SourceLocation.of(name), "",
                        "file is " + bytes.length + " bytes; configuration files are limited to "
                                + ConfigText.MAX_FILE_BYTES));
            }
            return new Source(name, ConfigText.decode(name, bytes));
        }
    }

    private RepoConfigLoader() {
    }

    public static RepoConfig load(Path file) {
        return parse(file.toString(), ConfigText.read(file, "config.not-found"));
    }

    /**
     * @param source name used in error locations, e.g. {@code acme/infra:.github/fixgate.yml}
     * @throws ConfigException listing every problem
     */
    public static RepoConfig parse(String source, String text) {
        return parse(Optional.empty(), Optional.of(new Source(source, text)));
    }

    /**
     * The repository's configuration laid over its organisation's defaults; either may be absent (both absent:
     * {@link RepoConfig#defaults()}).
     *
     * @throws ConfigException listing every problem in both files, each located in its own file
     */
    public static RepoConfig parse(Optional<Source> orgDefaults, Optional<Source> repo) {
        List<Source> sources = Stream.of(orgDefaults, repo).flatMap(Optional::stream).toList();
        List<String> files = sources.stream().map(Source::name).toList();
        List<ConfigProblem> problems = new ArrayList<>();
        List<YamlDocument> layers = new ArrayList<>();
        RepoConfig single = null;
        for (Source source : sources) {
            try {
                YamlDocument doc = YamlDocument.parse(source.name(), source.text());
                single = build(doc, files);
                layers.add(doc);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return switch (layers.size()) {
            case 0 -> build(YamlDocument.parse("defaults", ""), files);
            case 1 -> single;
            default -> build(YamlDocument.overlay(layers.get(0), layers.get(1)), files);
        };
    }

    /** The typed configuration of one (possibly merged) document, after the schema and the value checks. */
    @SuppressWarnings("unchecked")
    private static RepoConfig build(YamlDocument doc, List<String> files) {
        if (!(doc.value() instanceof Map)) {
            throw ConfigException.single(new ConfigProblem("config.wrong-type", doc.valueAt(""), "",
                    "expected a map of keys at the top of the file"));
        }
        // an empty mapping (no file: the defaults) has nothing to check, and compiling the schema is a good part of a
        // short command's start; RepoConfigLoaderTest keeps the schema accepting it
        List<ConfigProblem> problems = ((Map<?, ?>) doc.value()).isEmpty() ? new ArrayList<>()
                : new ArrayList<>(Schema.CHECK.check(doc));
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Map<String, Object> root = (Map<String, Object>) doc.value();

        Map<String, Object> reviewers = map(root, "reviewers");
        List<ChangeWindow> windows = new ArrayList<>();
        List<Object> windowList = list(root, "change_windows");
        for (int i = 0; i < windowList.size(); i++) {
            windows.add(window(doc, "/change_windows/" + i, (Map<String, Object>) windowList.get(i), problems));
        }
        Map<String, Object> exclusions = map(root, "exclusions");
        Map<String, Object> automerge = map(root, "automerge");
        Map<String, Object> caps = map(root, "caps");
        List<RepoConfig.Period> blackouts = periods(doc, root, "blackouts", problems);
        List<RepoConfig.Period> events = periods(doc, root, "high_traffic_events", problems);
        Map<String, Object> blast = map(root, "blast_radius");
        Map<String, Object> production = map(root, "production");
        List<RepoConfig.Stack> stacks = stacks(doc, map(root, "stacks"), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Set<RciLevel> levels = EnumSet.noneOf(RciLevel.class);
        strings(automerge, "levels").forEach(l -> levels.add(RciLevel.valueOf(l)));
        if (!automerge.containsKey("levels")) {
            levels.add(RciLevel.SAFE);
        }
        return new RepoConfig(
                Mode.of(string(root, "mode", "assist")),
                new Reviewers(strings(reviewers, "users"), strings(reviewers, "teams"),
                        (int) number(reviewers, "required_approvals", 1), bool(reviewers, "codeowners", true),
                        bool(reviewers, "require_codeowner_review", false),
                        (int) number(reviewers, "approval_expiry_days", 0)),
                windows,
                new Exclusions(strings(exclusions, "paths"), strings(exclusions, "controls"),
                        strings(exclusions, "resources"), strings(exclusions, "tags")),
                new Automerge(bool(automerge, "enabled", true), levels, strings(automerge, "required_checks"),
                        MergeMethod.valueOf(string(automerge, "merge_method", "squash").toUpperCase(Locale.ROOT)),
                        bool(automerge, "delete_branch", true)),
                new Caps((int) number(caps, "max_open_pull_requests", 5),
                        (int) number(caps, "max_pull_requests_per_hour", 5),
                        (int) number(caps, "max_pull_requests_per_day", 10),
                        (int) number(caps, "max_files_per_pull_request", 20)),
                new RepoConfig.Safety(blackouts, events, (int) number(blast, "max_resources", 10),
                        (int) number(blast, "max_instances", 25), bool(production, "require_approval", true)),
                new RepoConfig.Evidence(maxAge(string(map(root, "evidence"), "max_age", "30d"))),
                verify(map(root, "verify")),
                new RepoConfig.Dashboard(bool(map(root, "dashboard"), "enabled", true),
                        string(map(root, "dashboard"), "title", "fixgate Remediation Dashboard"),
                        (int) number(map(root, "dashboard"), "max_length", 20000)),
                Grouping.of(string(root, "grouping", "initiative")),
                strings(root, "accounts"),
                stacks,
                new RepoConfig.Terraform(map(root, "terraform").containsKey("workspaces")
                        ? strings(map(root, "terraform"), "workspaces") : List.of("default")),
                playbookParams(map(root, "playbooks")),
                guardrails(map(root, "guardrails")),
                new RepoConfig.Origin(files, doc.keyLocations()));
    }

    /**
     * {@code stacks:}: each key a stack name or pattern (letters, digits, {@code -}, {@code *}, {@code ?}; a stack
     * name starts with a letter), each value a template path relative to the repository root that stays inside it.
     */
    private static List<RepoConfig.Stack> stacks(YamlDocument doc, Map<String, Object> stacks,
                                                 List<ConfigProblem> problems) {
        List<RepoConfig.Stack> out = new ArrayList<>();
        stacks.forEach((name, value) -> {
            String at = "/stacks/" + YamlDocument.escape(name);
            String template = String.valueOf(value);
            if (!STACK.matcher(name).matches()) {
                problems.add(new ConfigProblem("config.invalid-value", doc.keyAt(at), at, "'" + name + "' is not a"
                        + " CloudFormation stack name or pattern: letters, digits and -, with * and ? as wildcards"));
            } else if (!templatePath(template)) {
                problems.add(new ConfigProblem("config.invalid-value", doc.valueAt(at), at, "the template must be a"
                        + " path relative to the repository root, inside it, such as cloudformation/web.yaml"));
            } else {
                out.add(new RepoConfig.Stack(name, template.startsWith("./") ? template.substring(2) : template));
            }
        });
        return out;
    }

    /** {@code playbooks: {<id>: {params: {...}}}} as id → params (the schema has checked the shape). */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> playbookParams(Map<String, Object> playbooks) {
        Map<String, Map<String, Object>> out = new java.util.TreeMap<>();
        playbooks.forEach((id, v) -> {
            if (v instanceof Map<?, ?> m && m.get("params") instanceof Map<?, ?> params) {
                out.put(id, (Map<String, Object>) params);
            }
        });
        return out;
    }

    private static final java.util.regex.Pattern STACK = java.util.regex.Pattern.compile("[A-Za-z*?][A-Za-z0-9*?-]*");

    private static boolean templatePath(String path) {
        String p = path.startsWith("./") ? path.substring(2) : path;
        if (p.isEmpty() || p.startsWith("/") || p.contains("\\") || p.contains(":") || p.endsWith("/")) {
            return false;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /** {@code guardrails:} (the schema has checked every value's form), or none when the key is absent. */
    private static RepoConfig.Guardrails guardrails(Map<String, Object> g) {
        if (g.isEmpty()) {
            return RepoConfig.Guardrails.none();
        }
        Map<String, Object> t = map(g, "targets");
        java.util.Map<String, List<String>> targets = new java.util.TreeMap<>();
        for (String cloud : List.of("aws", "azure", "gcp")) {
            if (t.containsKey(cloud)) {
                targets.put(cloud, strings(t, cloud));
            }
        }
        java.util.Map<String, String> parameters = new java.util.TreeMap<>();
        map(g, "parameters").forEach((k, v) -> parameters.put(k, String.valueOf(v)));
        return new RepoConfig.Guardrails(string(g, "repository", ""), string(g, "path", "guardrails"),
                string(g, "format", "terraform"), targets, parameters, (int) number(g, "aws_policies_per_target", 4));
    }

    /** {@code verify:} with its defaults: a 7-day deadline, deployed an hour after the merge. */
    private static RepoConfig.Verify verify(Map<String, Object> v) {
        Map<String, Object> deploy = map(v, "deploy");
        return new RepoConfig.Verify(duration(string(v, "deadline", "7d")), new RepoConfig.Verify.Deploy(
                RepoConfig.Verify.Signal.of(string(deploy, "signal", "delay")), duration(string(deploy, "delay", "1h")),
                string(deploy, "environment", ""), string(deploy, "workflow", "")));
    }

    /** {@code 30s}, {@code 45m}, {@code 12h} or {@code 7d} (the schema's pattern has checked the form). */
    static java.time.Duration duration(String value) {
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> java.time.Duration.ofSeconds(n);
            case 'm' -> java.time.Duration.ofMinutes(n);
            case 'h' -> java.time.Duration.ofHours(n);
            case 'd' -> java.time.Duration.ofDays(n);
            default -> throw new IllegalArgumentException("not a duration: " + value);
        };
    }

    /** {@code 30d} or {@code 12h} (the schema's pattern has checked the form). */
    static java.time.Duration maxAge(String value) {
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        return value.endsWith("h") ? java.time.Duration.ofHours(n) : java.time.Duration.ofDays(n);
    }

    @SuppressWarnings("unchecked")
    private static List<RepoConfig.Period> periods(YamlDocument doc, Map<String, Object> root, String key,
                                                   List<ConfigProblem> problems) {
        List<RepoConfig.Period> out = new ArrayList<>();
        List<Object> items = list(root, key);
        for (int i = 0; i < items.size(); i++) {
            Map<String, Object> p = (Map<String, Object>) items.get(i);
            String at = "/" + key + "/" + i;
            try {
                Instant from = Instant.parse(string(p, "from", ""));
                Instant to = Instant.parse(string(p, "to", ""));
                if (!to.isAfter(from)) {
                    problems.add(new ConfigProblem("config.invalid-value", doc.valueAt(at + "/to"), at + "/to",
                            "a period must end after it starts"));
                    continue;
                }
                out.add(new RepoConfig.Period(string(p, "name", ""), from, to));
            } catch (DateTimeException e) {
                problems.add(new ConfigProblem("config.invalid-value", doc.valueAt(at), at,
                        "from and to must be ISO-8601 instants with a zone, e.g. 2026-12-20T00:00:00Z"));
            }
        }
        return out;
    }

    private static ChangeWindow window(YamlDocument doc, String pointer, Map<String, Object> w,
                                       List<ConfigProblem> problems) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String day : strings(w, "days")) {
            days.add(switch (day) {
                case "mon" -> DayOfWeek.MONDAY;
                case "tue" -> DayOfWeek.TUESDAY;
                case "wed" -> DayOfWeek.WEDNESDAY;
                case "thu" -> DayOfWeek.THURSDAY;
                case "fri" -> DayOfWeek.FRIDAY;
                case "sat" -> DayOfWeek.SATURDAY;
                default -> DayOfWeek.SUNDAY;
            });
        }
        ZoneId zone = ZoneId.of("UTC");
        String tz = string(w, "timezone", "UTC");
        try {
            zone = ZoneId.of(tz);
        } catch (DateTimeException e) {
            String at = pointer + "/timezone";
            problems.add(new ConfigProblem("config.invalid-value", doc.valueAt(at), at,
                    "unknown time zone '" + tz + "'; use an IANA name such as Europe/Berlin"));
        }
        String end = string(w, "end", "");
        boolean midnight = end.equals("24:00");
        LocalTime start = LocalTime.parse(string(w, "start", ""));
        LocalTime endTime = midnight ? LocalTime.MIDNIGHT : LocalTime.parse(end);
        if (!midnight && endTime.equals(start)) {
            String at = pointer + "/end";
            problems.add(new ConfigProblem("config.invalid-value", doc.valueAt(at), at,
                    "a window must not start and end at the same time"));
        }
        return new ChangeWindow(days, start, endTime, midnight, zone);
    }
}
