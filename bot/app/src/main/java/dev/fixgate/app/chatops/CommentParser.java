package dev.fixgate.app.chatops;

import dev.fixgate.app.config.DidYouMean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a comment and returns exactly one of {@link Parsed.Command}, {@link Parsed.Reply} or {@link Parsed.Ignore}
 * (Atlantis' comment parser is the model). The grammar, by example ({@code fixgate} is the App's slug):
 *
 * <pre>
 * /fixgate approve                                  Command approve
 * @fixgate approve                                  Command approve (a mention of the App works as the prefix)
 * @fixgate[bot] explain                             Command explain
 * /fixgate   snooze  3d                             Command snooze [3d]           (any spacing)
 * /FIXGATE Status                                   Command status                (case-insensitive)
 * /fixgate ignore --until 2027-01-31 --reason "owned by the data team"
 *                                                   Command ignore, flags until, reason
 * /fixgate ignore --reason='kept public on purpose' Command ignore, flag reason (--flag=value)
 * /fixgate ignore --reason “smart quotes” work      Command ignore, flag reason "smart quotes", args [work]
 * Thanks!                                           Ignore (no command)
 * LGTM\n/fixgate approve                           Command approve (the first line that starts with the prefix)
 * please /fixgate approve                           Ignore (a command starts its line)
 * /fixgateapprove                                   Ignore (not the prefix)
 * &gt; /fixgate approve                             Ignore (a quoted reply)
 * `/fixgate approve`                                Ignore (inline code)
 * ```\n/fixgate approve\n```                        Ignore (a fenced code block; ~~~ too)
 *     /fixgate approve                              Ignore (an indented code block)
 * /fixgate                                          Reply: help
 * /fixgate aprove                                   Reply: unknown command 'aprove', did you mean 'approve'? + help
 * /fixgate snooze --frobnicate                      Reply: 'snooze' takes no flag --frobnicate
 * /fixgate ignore --reason "unterminated            Reply: unterminated quote
 * </pre>
 *
 * Flags are the ones each command declares ({@link ChatCommand#flags}); a flag given twice keeps the last value.
 */
public final class CommentParser {

    /** What a comment means to fixgate. */
    public sealed interface Parsed {
        /** A command to run: its name (lower case), positional arguments and flags. */
        record Command(String name, List<String> args, Map<String, String> flags, String line) implements Parsed {
            public Command {
                Objects.requireNonNull(name, "name");
                args = List.copyOf(args);
                flags = Map.copyOf(flags);
                Objects.requireNonNull(line, "line");
            }

            public Optional<String> flag(String name) {
                return Optional.ofNullable(flags.get(name));
            }
        }

        /** Addressed to fixgate but not runnable: the answer to post (help, an unknown command, a syntax error). */
        record Reply(String text) implements Parsed {
        }

        /** Not addressed to fixgate. */
        record Ignore(String why) implements Parsed {
        }
    }

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

    private final String slug;
    private final Map<String, ChatCommand> commands;
    private final String help;

    /**
     * @param slug     the App's slug ({@code fixgate}): {@code /slug} and {@code @slug} (or {@code @slug[bot]}) address it
     * @param commands the declared commands by name
     * @param help     the help text (generated from the declarations)
     */
    public CommentParser(String slug, Map<String, ChatCommand> commands, String help) {
        this.slug = Objects.requireNonNull(slug, "slug").toLowerCase(Locale.ROOT);
        this.commands = Map.copyOf(commands);
        this.help = Objects.requireNonNull(help, "help");
    }

    public Parsed parse(String comment) {
        if (comment == null || comment.isBlank()) {
            return new Parsed.Ignore("empty comment");
        }
        Optional<String> line = commandLine(comment);
        if (line.isEmpty()) {
            return new Parsed.Ignore("no line starts with /" + slug + " or @" + slug);
        }
        List<String> tokens;
        try {
            tokens = tokens(line.get());
        } catch (IllegalArgumentException e) {
            return new Parsed.Reply(e.getMessage() + " in `" + line.get().replace("`", "'") + "`.\n\n" + help);
        }
        tokens.removeFirst(); // the prefix
        if (tokens.isEmpty()) {
            return new Parsed.Reply(help);
        }
        String name = tokens.removeFirst().toLowerCase(Locale.ROOT);
        ChatCommand declared = commands.get(name);
        if (declared == null) {
            String suggestion = DidYouMean.suggest(name, commands.keySet())
                    .map(s -> "; did you mean `" + s + "`?").orElse(".");
            return new Parsed.Reply("Unknown command `" + name + "`" + suggestion + "\n\n" + help);
        }
        List<String> args = new ArrayList<>();
        Map<String, String> flags = new LinkedHashMap<>();
        Set<String> allowed = Set.of(declared.flags());
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!t.startsWith("--") || t.length() == 2) {
                args.add(t);
                continue;
            }
            String flag = t.substring(2);
            String value = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            flag = flag.toLowerCase(Locale.ROOT);
            if (!allowed.contains(flag)) {
                String suggestion = DidYouMean.suggest(flag, allowed).map(s -> "; did you mean `--" + s + "`?").orElse(".");
                return new Parsed.Reply("`" + name + "` has no flag `--" + flag + "`" + suggestion + " Usage: `/" + slug
                        + " " + declared.usage() + "`");
            }
            if (value == null) {
                if (i + 1 >= tokens.size() || tokens.get(i + 1).startsWith("--")) {
                    return new Parsed.Reply("`--" + flag + "` needs a value. Usage: `/" + slug + " " + declared.usage() + "`");
                }
                value = tokens.get(++i);
            }
            flags.put(flag, value);
        }
        return new Parsed.Command(name, args, flags, line.get().strip());
    }

    /** The first line outside code blocks and quotes that starts with the prefix, without inline code. */
    private Optional<String> commandLine(String comment) {
        boolean inFence = false;
        String fence = "";
        for (String raw : comment.replace("\r\n", "\n").split("\n", -1)) {
            Matcher m = FENCE.matcher(raw);
            if (m.find()) {
                if (!inFence) {
                    inFence = true;
                    fence = m.group(1);
                } else if (m.group(1).equals(fence)) {
                    inFence = false;
                }
                continue;
            }
            if (inFence || raw.startsWith("    ") || raw.startsWith("\t")) {
                continue; // code: fenced or indented
            }
            String line = raw.strip();
            if (line.startsWith(">")) {
                continue; // a quoted reply
            }
            String text = INLINE_CODE.matcher(line).replaceAll(" ").strip();
            if (addressed(text)) {
                return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    private boolean addressed(String line) {
        String lower = line.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("/" + slug, "@" + slug + "[bot]", "@" + slug)) {
            if (lower.startsWith(prefix) && (lower.length() == prefix.length()
                    || Character.isWhitespace(lower.charAt(prefix.length())))) {
                return true;
            }
        }
        return false;
    }

    /** Splits on white space, keeping "double", 'single' and “typographic” quoted runs (with \" escapes) whole. */
    static List<String> tokens(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == quote || quote == '”' && c == '“') {
                    quote = 0;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (c == '"' || c == '\'' || c == '“') {
                quote = c == '“' ? '”' : c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("Unterminated quote");
        }
        if (inToken) {
            out.add(cur.toString());
        }
        return out;
    }
}
