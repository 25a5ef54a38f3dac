package dev.fixgate.app.deliver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.kohsuke.github.GHRepository;

/** GitHub's CODEOWNERS rules, enough to find a file's owners: gitignore-style patterns, the last match wins. */
public final class CodeownersFile {

    /** Where GitHub looks for the file, in its order. */
    public static final List<String> LOCATIONS = List.of(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");

    private record Rule(Pattern pattern, List<String> owners) {
    }

    private final List<Rule> rules;

    private CodeownersFile(List<Rule> rules) {
        this.rules = rules;
    }

    public static CodeownersFile parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            int hash = line.indexOf(" #");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            String[] parts = line.split("\\s+");
            rules.add(new Rule(glob(parts[0]), Arrays.stream(parts).skip(1).filter(o -> o.startsWith("@")).toList()));
        }
        return new CodeownersFile(rules);
    }

    /** The owners of {@code path} ({@code @user} or {@code @org/team}), empty when none. */
    public List<String> owners(String path) {
        List<String> owners = List.of();
        for (Rule r : rules) {
            if (r.pattern().matcher(path).matches()) {
                owners = r.owners();
            }
        }
        return owners;
    }

    /** User logins (teams dropped) without the {@code @}. */
    public List<String> userOwners(String path) {
        return owners(path).stream().filter(o -> !o.contains("/")).map(o -> o.substring(1)).toList();
    }

    /** The repository's CODEOWNERS on {@code ref} (the first of {@link #LOCATIONS} that exists); empty without one. */
    public static Optional<CodeownersFile> read(GHRepository repo, String ref) throws IOException {
        for (String path : LOCATIONS) {
            try {
                return Optional.of(parse(new String(repo.getFileContent(path, ref).read().readAllBytes(),
                        StandardCharsets.UTF_8)));
            } catch (FileNotFoundException e) {
                // try the next place
            }
        }
        return Optional.empty();
    }

    private static Pattern glob(String p) {
        boolean anchored = p.startsWith("/") || p.substring(0, p.length() - (p.endsWith("/") ? 1 : 0)).contains("/");
        String s = p.startsWith("/") ? p.substring(1) : p;
        boolean dir = s.endsWith("/");
        StringBuilder re = new StringBuilder(anchored ? "" : "(?:.*/)?");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        re.append(dir ? ".*" : "(?:/.*)?");
        return Pattern.compile(re.toString());
    }
}
