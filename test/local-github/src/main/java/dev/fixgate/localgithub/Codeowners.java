package dev.fixgate.localgithub;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A CODEOWNERS file as GitHub reads it: one rule a line ({@code pattern owner...}), {@code #} comments, the last
 * matching rule wins, and patterns follow gitignore's rules as far as GitHub supports them — {@code *}, {@code ?},
 * {@code **}, a leading {@code /} or an inner {@code /} anchors to the root, a trailing {@code /} means "a directory",
 * a pattern that names a directory owns everything below it. Negation ({@code !}) and character ranges are not
 * supported by GitHub either; such lines are ignored. A rule without owners clears ownership for what it matches.
 *
 * <pre>{@code
 * *            @acme/everyone
 * /infra/      @alice
 * *.tf         @bob @acme/platform    # bob and the team own every Terraform file, also under infra/
 * }</pre>
 */
public final class Codeowners {

    /** Where GitHub looks, in its order: the first file that exists is used. */
    public static final List<String> LOCATIONS = List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

    private record Rule(String pattern, Pattern regex, List<String> owners) {}

    private final List<Rule> rules;

    private Codeowners(List<Rule> rules) {
        this.rules = rules;
    }

    public static Codeowners parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = stripComment(raw).strip();
            if (line.isEmpty() || line.startsWith("!") || line.contains("[")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            List<String> owners = new ArrayList<>();
            for (int k = 1; k < parts.length; k++) {
                owners.add(parts[k]);
            }
            String pattern = parts[0].replace("\\#", "#");
            rules.add(new Rule(pattern, compile(pattern), List.copyOf(owners)));
        }
        return new Codeowners(List.copyOf(rules));
    }

    private static String stripComment(String line) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (c == '#' && (k == 0 || line.charAt(k - 1) != '\\')) {
                break;
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The owners of a path (as written: {@code @user}, {@code @org/team} or an e-mail); empty when unowned. */
    public List<String> owners(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        for (int k = rules.size() - 1; k >= 0; k--) {
            if (rules.get(k).regex().matcher(p).matches()) {
                return rules.get(k).owners();
            }
        }
        return List.of();
    }

    /** The user logins (without {@code @}) among the owners of a path; teams and e-mails are left out. */
    public List<String> userOwners(String path) {
        List<String> out = new ArrayList<>();
        for (String o : owners(path)) {
            if (o.startsWith("@") && !o.contains("/")) {
                out.add(o.substring(1));
            }
        }
        return out;
    }

    static Pattern compile(String pattern) {
        String p = pattern;
        boolean dirOnly = p.endsWith("/") && p.length() > 1;
        if (dirOnly) {
            p = p.substring(0, p.length() - 1);
        }
        boolean anchored = p.startsWith("/") || p.contains("/");
        if (p.startsWith("/")) {
            p = p.substring(1);
        }
        StringBuilder re = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
        int k = 0;
        while (k < p.length()) {
            if (p.startsWith("**/", k)) {
                re.append("(?:.*/)?");
                k += 3;
            } else if (p.startsWith("/**", k) && k + 3 == p.length()) {
                re.append("/.*");
                k += 3;
            } else if (p.startsWith("**", k)) {
                re.append(".*");
                k += 2;
            } else {
                char c = p.charAt(k++);
                switch (c) {
                    case '*' -> re.append("[^/]*");
                    case '?' -> re.append("[^/]");
                    default -> re.append(Pattern.quote(String.valueOf(c)));
                }
            }
        }
        // "docs/*" owns the files directly in docs/ only (GitHub's documented difference from gitignore); a name
        // without a wildcard in its last segment may be a directory and then owns everything below it.
        String last = p.substring(p.lastIndexOf('/') + 1);
        re.append(dirOnly ? "/.*$" : last.contains("*") ? "$" : "(?:/.*)?$");
        return Pattern.compile(re.toString());
    }
}
