package dev.fixgate.app.chatops;

import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.redact.Redactor;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.spi.gate.GateDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Remediation Dashboard's body, from what fixgate stores about one repository (Renovate's Dependency
 * Dashboard is the model). Pure. Sections: awaiting approval, awaiting checks, blocked by a gate, UNSAFE routed to
 * owners, snoozed or ignored, recently merged, errors. Boxes act when ticked ({@link #ticked}): approve a pull
 * request, rescan or retry an initiative, lift a hold. Past {@code maxLength} every section is summarised by
 * control with the pull request numbers, and the page says which command prints it in full — it never grows past
 * GitHub's limit, and it never cuts silently.
 */
public final class DashboardView {

    /** Marks fixgate's dashboard issue. */
    public static final String MARKER = "<!-- fixgate:dashboard -->";
    /** GitHub's limit on an issue body. */
    public static final int GITHUB_BODY_LIMIT = 65_536;
    private static final Pattern BOX = Pattern.compile("^\\s*- \\[([ xX])\\] <!-- fixgate:([a-z]+):([A-Za-z0-9._:/#-]+) -->");
    private static final Duration RECENT = Duration.ofDays(14);

    /** A box's action: what a tick asks for. */
    public record Action(String verb, String argument) {
    }

    /** What the dashboard shows. */
    /** @param verification the merged fixes under verification, by remediation id (the verify stage's tracks) */
    public record Data(String repo, List<RemediationStore.Remediation> remediations, List<ChatOpsStore.Hold> holds,
                       List<ChatOpsStore.Note> notes, Instant now, Map<Long, VerifyStore.Track> verification) {
        public Data {
            remediations = List.copyOf(remediations);
            holds = List.copyOf(holds);
            notes = List.copyOf(notes);
            verification = Map.copyOf(verification);
        }

        public Data(String repo, List<RemediationStore.Remediation> remediations, List<ChatOpsStore.Hold> holds,
                    List<ChatOpsStore.Note> notes, Instant now) {
            this(repo, remediations, holds, notes, now, Map.of());
        }
    }

    private record Item(String section, String control, String number, String line) {
    }

    private DashboardView() {
    }

    public static String render(Data d, int maxLength, String fullCommand) {
        List<Item> items = items(d);
        String full = body(items, false, fullCommand, d);
        if (full.length() <= Math.min(maxLength, GITHUB_BODY_LIMIT)) {
            return full;
        }
        String summary = body(items, true, fullCommand, d);
        return summary.length() <= GITHUB_BODY_LIMIT ? summary
                : summary.substring(0, GITHUB_BODY_LIMIT - 200) + "\n\n… the summary itself is too long for GitHub; run `"
                        + fullCommand + "` for everything.\n";
    }

    /** Every item, however long: what {@code fixgate dashboard} prints. */
    public static String renderFull(Data d, String fullCommand) {
        return body(items(d), false, fullCommand, d);
    }

    /** The boxes ticked in {@code after} that were not ticked in {@code before}: the actions a person asked for. */
    public static List<Action> ticked(String before, String after) {
        Map<String, Boolean> was = boxes(before == null ? "" : before);
        List<Action> out = new ArrayList<>();
        boxes(after == null ? "" : after).forEach((key, on) -> {
            if (on && !Boolean.TRUE.equals(was.get(key))) {
                int colon = key.indexOf(':');
                out.add(new Action(key.substring(0, colon), key.substring(colon + 1)));
            }
        });
        return out;
    }

    private static Map<String, Boolean> boxes(String body) {
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            Matcher m = BOX.matcher(line);
            if (m.find()) {
                out.put(m.group(2) + ":" + m.group(3), !m.group(1).equals(" "));
            }
        }
        return out;
    }

    private static List<Item> items(Data d) {
        List<Item> out = new ArrayList<>();
        for (RemediationStore.Remediation r : d.remediations()) {
            Optional<FixProposal> p = proposal(r);
            String control = p.map(FixProposal::control).orElse(r.playbookId());
            String what = clean(control) + " on " + p.map(x -> x.resources().size() == 1 ? "`" + code(x.resources().getFirst())
                    + "`" : x.resources().size() + " resources").orElse("?") + " — " + r.rciLevel();
            if (r.status() == RemediationStore.Status.DELIVERED && r.pullNumber().isPresent()) {
                int n = r.pullNumber().getAsInt();
                boolean approval = p.map(x -> x.decision() instanceof GateDecision.NeedsApproval).orElse(false);
                if (approval) {
                    out.add(new Item("Awaiting approval", control, "#" + n, "- [ ] <!-- fixgate:approve:" + n + " --> #" + n
                            + " " + what + " (tick to approve this commit's fix)"));
                } else {
                    out.add(new Item("Awaiting checks", control, "#" + n, "- #" + n + " " + what
                            + ": merges when the required checks pass"));
                }
            } else if (r.status() == RemediationStore.Status.DELIVERED && r.issueNumber().isPresent()) {
                int n = r.issueNumber().getAsInt();
                out.add(new Item("Routed to owners (UNSAFE or denied)", control, "#" + n, "- #" + n + " " + what));
            } else if (r.status() == RemediationStore.Status.MERGED || r.status() == RemediationStore.Status.VERIFIED) {
                Optional<VerifyStore.Track> t = Optional.ofNullable(d.verification().get(r.id()));
                String number = r.pullNumber().isPresent() ? "#" + r.pullNumber().getAsInt() : "";
                String head = "- " + (number.isEmpty() ? "" : number + " ") + what;
                boolean open = r.status() == RemediationStore.Status.MERGED;
                if (open && t.flatMap(VerifyStore.Track::escalatedAt).isPresent()) {
                    out.add(new Item("Not verified after merge", control, number, head + ": not verified by its deadline ("
                            + t.get().deadline() + ")" + (t.get().escalationIssue().isPresent() ? "; the owners are asked in #"
                            + t.get().escalationIssue().getAsInt() : "")));
                } else if (open && t.flatMap(VerifyStore.Track::driftAt).isPresent()) {
                    out.add(new Item("Not verified after merge", control, number, head + ": the fix is in code but not"
                            + " applied — " + clean(t.get().driftDetail().lines().findFirst().orElse(""))));
                } else if (Duration.between(r.updatedAt(), d.now()).compareTo(RECENT) <= 0) {
                    out.add(new Item("Recently merged", control, number, head
                            + r.mergedSha().map(s -> ", merged as " + s.substring(0, Math.min(12, s.length()))).orElse("")
                            + (!open ? ", verified after merge" : t.isPresent() ? ", verifying until " + t.get().deadline()
                            : "")));
                }
            }
        }
        for (ChatOpsStore.Hold h : d.holds()) {
            if (h.kind() == ChatOpsStore.HoldKind.REJECT) {
                continue;
            }
            String target = h.target().isEmpty() ? "initiative `" + h.initiative().value() + "`" : "`" + code(h.target()) + "`";
            out.add(new Item("Snoozed or ignored", "", "", "- [ ] <!-- fixgate:lift:" + h.id() + " --> "
                    + h.kind().name().toLowerCase(Locale.ROOT) + "d by @\u200b" + clean(h.createdBy()) + " "
                    + h.until().map(u -> "until " + u).orElse("until lifted") + ": " + target + " — " + clean(h.reason())
                    + " (tick to lift)"));
        }
        for (ChatOpsStore.Note n : d.notes()) {
            String initiative = n.initiative().value();
            if (n.kind() == ChatOpsStore.NoteKind.BLOCKED) {
                out.add(new Item("Blocked by a gate", "", "", "- [ ] <!-- fixgate:rescan:" + initiative + " --> `"
                        + initiative + "`: " + clean(n.text()) + " (tick to rescan)"));
            } else {
                out.add(new Item("Errors", "", "", "- [ ] <!-- fixgate:retry:" + initiative + " --> `" + initiative + "`: "
                        + clean(n.text()) + " (tick to retry)"));
            }
        }
        return out;
    }

    private static final List<String> SECTIONS = List.of("Awaiting approval", "Awaiting checks", "Blocked by a gate",
            "Routed to owners (UNSAFE or denied)", "Snoozed or ignored", "Not verified after merge", "Recently merged",
            "Errors");

    private static String body(List<Item> items, boolean summarise, String fullCommand, Data d) {
        StringBuilder b = new StringBuilder();
        b.append(MARKER).append('\n');
        b.append("What fixgate is doing in `").append(code(d.repo())).append("`, updated after every change (")
                .append(d.now()).append("). Tick a box to act; only people allowed to do that act are obeyed.\n");
        if (summarise) {
            b.append("\n> The full list is longer than this page allows: it is summarised by control below. `")
                    .append(fullCommand).append("` prints everything.\n");
        }
        for (String section : SECTIONS) {
            List<Item> in = items.stream().filter(i -> i.section().equals(section)).toList();
            b.append("\n## ").append(section).append(" (").append(in.size()).append(")\n\n");
            if (in.isEmpty()) {
                b.append("Nothing.\n");
                continue;
            }
            if (!summarise) {
                in.forEach(i -> b.append(i.line()).append('\n'));
                continue;
            }
            Map<String, List<Item>> byControl = new LinkedHashMap<>();
            in.forEach(i -> byControl.computeIfAbsent(i.control().isEmpty() ? "(other)" : i.control(),
                    k -> new ArrayList<>()).add(i));
            byControl.forEach((control, list) -> {
                List<String> numbers = list.stream().map(Item::number).filter(n -> !n.isEmpty()).toList();
                b.append("- ").append(clean(control)).append(": ").append(list.size());
                if (!numbers.isEmpty()) {
                    b.append(" — ").append(String.join(", ", numbers.subList(0, Math.min(50, numbers.size()))));
                    if (numbers.size() > 50) {
                        b.append(" and ").append(numbers.size() - 50).append(" more");
                    }
                }
                b.append('\n');
            });
        }
        return b.toString();
    }

    private static Optional<FixProposal> proposal(RemediationStore.Remediation r) {
        try {
            return Optional.of(FixProposal.fromJson(r.planJson()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String clean(String s) {
        return Redactor.redact(Objects.toString(s, "")).replaceAll("[\\r\\n]+", " ").replace("<", "&lt;")
                .replace(">", "&gt;").replace("@", "@\u200b");
    }

    private static String code(String s) {
        return Redactor.redact(Objects.toString(s, "")).replaceAll("[\\r\\n`]+", " ");
    }
}
