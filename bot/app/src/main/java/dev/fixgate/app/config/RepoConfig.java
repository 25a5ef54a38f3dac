package dev.fixgate.app.config;

import dev.fixgate.spi.assess.RciLevel;
import dev.fixgate.spi.error.SourceLocation;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One repository's {@code .github/fixgate.yml} (laid over its organisation's defaults, see {@link RepoConfigLoader}):
 * how far fixgate may go there, who reviews, when it may merge, what it must leave alone, how much it may do at
 * once and how fixes are split into pull requests. See {@code docs/schema/repo-config.schema.json}.
 *
 * @param origin which file set each key, for messages that must name it
 */
public record RepoConfig(Mode mode, Reviewers reviewers, List<ChangeWindow> changeWindows, Exclusions exclusions,
                         Automerge automerge, Caps caps, Safety safety, Evidence evidence, Verify verify,
                         Dashboard dashboard, Grouping grouping, List<String> accounts, List<Stack> stacks,
                         Terraform terraform, Map<String, Map<String, Object>> playbookParams, Guardrails guardrails,
                         Origin origin) {

    /**
     * @param accounts       cloud accounts, subscriptions and projects whose resources this repository's code deploys:
     *                       how a cloud finding (which names an account, not a repository) finds the code to fix
     * @param stacks         CloudFormation stacks (name or pattern) and the template each deploys, in file order
     * @param terraform      how its Terraform state is read
     * @param playbookParams {@code playbooks.<id>.params}: per playbook id, the values of its declared parameters this
     *                       repository sets (the target bucket of access logs, the KMS key of a trail, ...)
     */
    public RepoConfig {
        accounts = List.copyOf(accounts);
        stacks = List.copyOf(stacks);
        Objects.requireNonNull(terraform, "terraform");
        Map<String, Map<String, Object>> params = new TreeMap<>();
        playbookParams.forEach((k, v) -> params.put(k, java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(v))));
        playbookParams = java.util.Collections.unmodifiableMap(params);
        Objects.requireNonNull(safety, "safety");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(verify, "verify");
        Objects.requireNonNull(dashboard, "dashboard");
        Objects.requireNonNull(grouping, "grouping");
        Objects.requireNonNull(guardrails, "guardrails");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(reviewers, "reviewers");
        Objects.requireNonNull(exclusions, "exclusions");
        Objects.requireNonNull(automerge, "automerge");
        Objects.requireNonNull(caps, "caps");
        changeWindows = List.copyOf(changeWindows);
    }

    /** The parameters this repository sets for one playbook (empty: the playbook's defaults). */
    public Map<String, Object> params(String playbookId) {
        return playbookParams.getOrDefault(playbookId, Map.of());
    }

    /** What a repository without {@code .github/fixgate.yml} (and without organisation defaults) gets. */
    public static RepoConfig defaults() {
        return RepoConfigLoader.parse(Optional.empty(), Optional.empty());
    }

    public enum Mode {
        /** Report only: check runs and issues, no branches. */
        DETECT,
        /** Open pull requests (and issues for UNSAFE fixes); never merge. */
        ASSIST,
        /** Open pull requests; merge any of them only after an authorised approving review. */
        SUPERVISED,
        /** Merge SAFE fixes once required checks pass; RISKY after an authorised review; UNSAFE become issues. */
        AUTONOMOUS;

        public static Mode of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }

        public boolean opensPullRequests() {
            return this != DETECT;
        }
    }

    /**
     * @param codeowners             whether a code owner of every touched file may approve (CODEOWNERS)
     * @param requireCodeownerReview whether every touched file that has owners needs an approval by one of them
     *                               (GitHub's "require review from Code Owners")
     * @param approvalExpiryDays     an approval older than this many days no longer counts; 0: approvals do not expire
     */
    public record Reviewers(List<String> users, List<String> teams, int requiredApprovals, boolean codeowners,
                            boolean requireCodeownerReview, int approvalExpiryDays) {
        public Reviewers {
            if (approvalExpiryDays < 0) {
                throw new IllegalArgumentException("approvalExpiryDays must be >= 0");
            }
            users = List.copyOf(users);
            teams = List.copyOf(teams);
            if (requiredApprovals < 1) {
                throw new IllegalArgumentException("requiredApprovals must be >= 1");
            }
        }
    }

    /**
     * A weekly window in a time zone. A window whose end is not after its start runs past midnight: it opens
     * on each listed day at {@code start} and closes the next day at {@code end}.
     */
    public record ChangeWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, boolean endsAtMidnight,
                               ZoneId zone) {
        public ChangeWindow {
            days = Set.copyOf(days);
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            Objects.requireNonNull(zone, "zone");
        }

        public boolean contains(Instant instant) {
            ZonedDateTime local = instant.atZone(zone);
            LocalTime t = local.toLocalTime();
            DayOfWeek day = local.getDayOfWeek();
            if (endsAtMidnight) {
                return days.contains(day) && !t.isBefore(start);
            }
            if (end.isAfter(start)) {
                return days.contains(day) && !t.isBefore(start) && t.isBefore(end);
            }
            return days.contains(day) && !t.isBefore(start) || days.contains(day.minus(1)) && t.isBefore(end);
        }
    }

    /** @param tags tag keys or {@code key=value} pairs that exclude a resource ({@code fixgate:exclude} always does) */
    public record Exclusions(List<String> paths, List<String> controls, List<String> resources, List<String> tags) {
        public Exclusions {
            tags = List.copyOf(tags);
            paths = List.copyOf(paths);
            controls = List.copyOf(controls);
            resources = List.copyOf(resources);
        }

        public boolean excludesPath(String path) {
            return paths.stream().anyMatch(glob -> Glob.matches(glob, path));
        }

        public boolean excludesControl(String controlId) {
            return controls.contains(controlId);
        }

        public boolean excludesResource(String idOrAddress) {
            return resources.stream().anyMatch(glob -> Glob.matches(glob, idOrAddress));
        }
    }

    /**
     * How old evidence may be and still count.
     *
     * @param maxAge an observation older than this (at the decision's instant) counts as missing: it can never
     *               help a fix toward SAFE, only keep it from being SAFE
     */
    public record Evidence(java.time.Duration maxAge) {
        public static final java.time.Duration DEFAULT_MAX_AGE = java.time.Duration.ofDays(30);

        public Evidence {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isNegative() || maxAge.isZero()) {
                throw new IllegalArgumentException("maxAge must be positive");
            }
        }
    }

    /**
     * Where guardrail pull requests go ({@code guardrails:}): the repository ({@code owner/name}; empty when not
     * configured), the folder in it, the format ({@code terraform} or {@code json}), the targets per cloud
     * ({@code aws}, {@code azure}, {@code gcp}), values for the parameters guardrails leave open, and how many SCPs
     * may be attached per AWS target.
     */
    public record Guardrails(String repository, String path, String format, Map<String, List<String>> targets,
                             Map<String, String> parameters, int awsPoliciesPerTarget) {
        public Guardrails {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(format, "format");
            targets = Map.copyOf(targets);
            parameters = Map.copyOf(parameters);
        }

        public static Guardrails none() {
            return new Guardrails("", "guardrails", "terraform", Map.of(), Map.of(), 4);
        }

        public boolean configured() {
            return !repository.isEmpty();
        }

        /** The targets listed for a cloud ({@code aws}, {@code azure}, {@code gcp}); empty when none are. */
        public List<String> targets(String cloud) {
            return targets.getOrDefault(cloud, List.of());
        }
    }

    /**
     * Verification after merge ({@code verify:}).
     *
     * @param deadline how long after the merge a fix may take to be verified before it is escalated
     * @param deploy   what says the merged change is deployed
     */
    public record Verify(java.time.Duration deadline, Deploy deploy) {
        public static final java.time.Duration DEFAULT_DEADLINE = java.time.Duration.ofDays(7);

        public Verify {
            Objects.requireNonNull(deadline, "deadline");
            Objects.requireNonNull(deploy, "deploy");
            if (deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("the verification deadline must be positive");
            }
        }

        public enum Signal {
            /** A {@code deployment_status} success of the merge commit or a later commit of the default branch. */
            DEPLOYMENT,
            /** A {@code workflow_run} that completed successfully on the default branch at or after the merge. */
            WORKFLOW,
            /** A fixed time after the merge. */
            DELAY;

            public static Signal of(String value) {
                return valueOf(value.toUpperCase(Locale.ROOT));
            }

            public String id() {
                return name().toLowerCase(Locale.ROOT);
            }
        }

        /**
         * @param delay       with {@link Signal#DELAY}: how long after the merge the change counts as deployed
         * @param environment with {@link Signal#DEPLOYMENT}: the environment whose deployment counts; empty: any
         * @param workflow    with {@link Signal#WORKFLOW}: the workflow (name or file path) whose run counts; empty: any
         */
        public record Deploy(Signal signal, java.time.Duration delay, String environment, String workflow) {
            public static final java.time.Duration DEFAULT_DELAY = java.time.Duration.ofHours(1);

            public Deploy {
                Objects.requireNonNull(signal, "signal");
                Objects.requireNonNull(delay, "delay");
                Objects.requireNonNull(environment, "environment");
                Objects.requireNonNull(workflow, "workflow");
            }
        }
    }

    /** The Remediation Dashboard issue: whether there is one, its title, and past what length it summarises. */
    public record Dashboard(boolean enabled, String title, int maxLength) {
        public Dashboard {
            Objects.requireNonNull(title, "title");
        }
    }

    public enum MergeMethod { MERGE, SQUASH, REBASE }

    /** @param levels RCI levels that may merge without a human; the schema allows only SAFE */
    /** @param deleteBranch whether fixgate deletes its branch once it has merged the pull request */
    public record Automerge(boolean enabled, Set<RciLevel> levels, List<String> requiredChecks, MergeMethod mergeMethod,
                            boolean deleteBranch) {
        public Automerge {
            levels = Set.copyOf(levels);
            requiredChecks = List.copyOf(requiredChecks);
            Objects.requireNonNull(mergeMethod, "mergeMethod");
        }
    }

    /**
     * How much fixgate may do at once in the repository; a count cap of 0 means no new pull requests.
     *
     * @param maxOpenPullRequests    open fixgate pull requests at a time
     * @param maxPullRequestsPerHour fixgate pull requests created in any 60 minutes
     * @param maxPullRequestsPerDay  fixgate pull requests created in any 24 hours
     * @param maxFilesPerPullRequest a fix changing more files becomes an issue instead
     */
    public record Caps(int maxOpenPullRequests, int maxPullRequestsPerHour, int maxPullRequestsPerDay,
                       int maxFilesPerPullRequest) {
        public Caps {
            if (maxOpenPullRequests < 0 || maxPullRequestsPerHour < 0 || maxPullRequestsPerDay < 0) {
                throw new IllegalArgumentException("caps must be >= 0");
            }
            if (maxFilesPerPullRequest < 1) {
                throw new IllegalArgumentException("maxFilesPerPullRequest must be >= 1");
            }
        }
    }

    /** How an initiative's changed files are split into pull requests. */
    public enum Grouping {
        /** One pull request for the whole initiative (one control in one scope). */
        INITIATIVE,
        /** One pull request per control per directory of the changed files. */
        CONTROL_DIRECTORY;

        /** The key every file shares under {@link #INITIATIVE}. */
        public static final String WHOLE_INITIATIVE = "";
        /** The key of files at the repository's root under {@link #CONTROL_DIRECTORY}. */
        public static final String ROOT = ".";

        public static Grouping of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }

        /**
         * The group (pull request) a changed file belongs to: {@link #WHOLE_INITIATIVE} for every file under
         * INITIATIVE; under CONTROL_DIRECTORY the file's directory ({@code modules/s3} for
         * {@code modules/s3/main.tf}), {@link #ROOT} for a file at the root.
         *
         * @param path a repository path as git writes it: relative, {@code /}-separated, no {@code .} or {@code ..}
         * @throws IllegalArgumentException for anything else
         */
        public String groupOf(String path) {
            checkPath(path);
            if (this == INITIATIVE) {
                return WHOLE_INITIATIVE;
            }
            int slash = path.lastIndexOf('/');
            return slash < 0 ? ROOT : path.substring(0, slash);
        }

        /** {@code paths} by {@link #groupOf group}: keys sorted, each group's paths sorted and distinct. */
        public SortedMap<String, List<String>> group(Collection<String> paths) {
            SortedMap<String, SortedSet<String>> sets = new TreeMap<>();
            for (String path : paths) {
                sets.computeIfAbsent(groupOf(path), k -> new TreeSet<>()).add(path);
            }
            SortedMap<String, List<String>> out = new TreeMap<>();
            sets.forEach((k, v) -> out.put(k, List.copyOf(v)));
            return out;
        }

        private static void checkPath(String path) {
            Objects.requireNonNull(path, "path");
            if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\\")) {
                throw new IllegalArgumentException("not a repository file path: '" + path + "'");
            }
            for (String segment : path.split("/", -1)) {
                if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                    throw new IllegalArgumentException("not a repository file path: '" + path + "'");
                }
            }
        }
    }

    /**
     * Where the configuration came from: the files read (organisation defaults first, then the repository's own)
     * and, per JSON pointer ({@code /caps/max_open_pull_requests}), where the key that set it is written. Keys
     * left at their default have no location.
     */
    public record Origin(List<String> files, Map<String, SourceLocation> keys) {
        public Origin {
            files = List.copyOf(files);
            keys = Map.copyOf(keys);
        }

        /** Where the key at {@code pointer} is written, empty when no file sets it. */
        public Optional<SourceLocation> keyAt(String pointer) {
            return Optional.ofNullable(keys.get(pointer));
        }

        /**
         * For messages: {@code acme/infra:.github/fixgate.yml:7:3}, or, for a key no file sets, that it is the
         * default and which files were read.
         */
        public String describe(String pointer) {
            return keyAt(pointer).map(SourceLocation::toString).orElseGet(() -> files.isEmpty()
                    ? "default; no fixgate.yml found"
                    : "default; not set in " + String.join(" or ", files));
        }
    }

    /**
     * A CloudFormation stack this repository deploys.
     *
     * @param stack    a stack name, or a pattern where {@code *} is any run of characters and {@code ?} one
     * @param template the template's path in the repository, relative to its root
     */
    public record Stack(String stack, String template) {
        public Stack {
            Objects.requireNonNull(stack, "stack");
            Objects.requireNonNull(template, "template");
        }

        /** Whether the stack named {@code name} is this one. */
        public boolean matches(String name) {
            return Glob.toRegex(stack).matcher(name).matches();
        }
    }

    /** @param workspaces the workspaces whose state is read from an S3 backend */
    public record Terraform(List<String> workspaces) {
        public Terraform {
            workspaces = List.copyOf(workspaces);
            if (workspaces.isEmpty()) {
                throw new IllegalArgumentException("at least one workspace");
            }
        }
    }

    /** A named period {@code [from, to)}: a blackout or a high-traffic event. */
    public record Period(String name, Instant from, Instant to) {
        public Period {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        public boolean contains(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(to);
        }
    }

    /**
     * What the gate needs beyond reviewers, windows and exclusions.
     *
     * @param blackouts                  freeze periods: nothing merges inside one
     * @param highTrafficEvents          periods in which every fix needs approval
     * @param maxResources               blast-radius limit (resources) for autonomous action
     * @param maxInstances               blast-radius limit (instances) for autonomous action
     * @param productionRequiresApproval production fixes need approval unless the playbook is safe for production
     */
    public record Safety(List<Period> blackouts, List<Period> highTrafficEvents, int maxResources, int maxInstances,
                         boolean productionRequiresApproval) {
        public Safety {
            blackouts = List.copyOf(blackouts);
            highTrafficEvents = List.copyOf(highTrafficEvents);
        }

        /** The first blackout containing {@code now}. */
        public java.util.Optional<Period> blackoutAt(Instant now) {
            return blackouts.stream().filter(p -> p.contains(now)).findFirst();
        }

        public List<String> highTrafficAt(Instant now) {
            return highTrafficEvents.stream().filter(p -> p.contains(now)).map(Period::name).toList();
        }
    }

    /** Whether fixgate may merge now: inside any window, or always when none is configured. */
    public boolean inChangeWindow(Instant now) {
        return changeWindows.isEmpty() || changeWindows.stream().anyMatch(w -> w.contains(now));
    }

    /** Path globs: {@code **} crosses directories, {@code *} and {@code ?} do not. */
    static final class Glob {
        private Glob() {
        }

        static boolean matches(String glob, String value) {
            return toRegex(glob).matcher(value).matches();
        }

        static Pattern toRegex(String glob) {
            StringBuilder re = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slash = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    re.append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                } else if (c == '*') {
                    re.append("[^/]*");
                } else if (c == '?') {
                    re.append("[^/]");
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(re.toString());
        }
    }
}
