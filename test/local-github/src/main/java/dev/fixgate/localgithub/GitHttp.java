package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;
import org.eclipse.jgit.errors.RepositoryNotFoundException;

/**
 * Git smart HTTP under {@code /git/<owner>/<repo>.git}, served by JGit's {@link GitServlet} from the same bare
 * repositories the REST API writes, with GitHub's partial-clone capabilities (filters, reachable objects wanted by
 * id). Authentication is GitHub's: HTTP Basic with a token as the password (an
 * installation token as {@code x-access-token:<token>}, or a user's token); public repositories clone anonymously,
 * pushing needs write access. Every accepted push goes through {@link Hub#refUpdated} (push event, synchronize).
 */
final class GitHttp {

    static final String PREFIX = "/git";
    private static final String PRINCIPAL = GitHttp.class.getName() + ".principal";

    private final Hub hub;
    private final boolean partialClone;
    private final GitTraffic traffic = new GitTraffic();

    GitHttp(Hub hub, boolean partialClone) {
        this.hub = hub;
        this.partialClone = partialClone;
    }

    GitTraffic traffic() {
        return traffic;
    }

    GitServlet servlet() {
        GitServlet servlet = new GitServlet();
        servlet.setRepositoryResolver((req, name) -> {
            Repo r = repoFor(name).orElseThrow(() -> new RepositoryNotFoundException(name));
            Repository repository = r.git.repository();
            repository.incrementOpen();
            return repository;
        });
        // GitHub serves partial clones: a filter (blob:none, blob:limit, tree:0) and wants of reachable objects by id
        servlet.setUploadPackFactory((req, db) -> {
            Config config = new Config(db.getConfig());
            config.setBoolean("uploadpack", null, "allowFilter", partialClone);
            config.setBoolean("uploadpack", null, "allowReachableSHA1InWant", partialClone);
            UploadPack up = new UploadPack(db);
            up.setTransferConfig(new TransferConfig(config));
            return up;
        });
        servlet.setReceivePackFactory((req, db) -> {
            ReceivePack rp = new ReceivePack(db);
            Principal p = (Principal) req.getAttribute(PRINCIPAL);
            Repo repo = repoFor(nameOf(req.getPathInfo())).orElseThrow();
            rp.setPostReceiveHook((pack, commands) -> {
                synchronized (hub) {
                    for (ReceiveCommand c : commands) {
                        if (c.getResult() == ReceiveCommand.Result.OK) {
                            hub.refUpdated(repo, c.getRefName(), c.getOldId().name(), c.getNewId().name(), Hub.actor(p));
                        }
                    }
                }
            });
            return rp;
        });
        return servlet;
    }

    private Optional<Repo> repoFor(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (n.endsWith(".git")) {
            n = n.substring(0, n.length() - 4);
        }
        String[] parts = n.split("/");
        if (parts.length != 2) {
            return Optional.empty();
        }
        synchronized (hub) {
            return hub.repo(parts[0], parts[1]);
        }
    }

    /** "owner/repo.git" from a path info like "/owner/repo.git/info/refs". */
    private static String nameOf(String pathInfo) {
        String p = pathInfo == null ? "" : pathInfo;
        int git = p.indexOf(".git");
        return git < 0 ? p : p.substring(1, git + 4);
    }

    /** Authenticates and authorises every git request before JGit sees it. */
    Filter authFilter() {
        return new Filter() {
            @Override
            public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                long start = System.nanoTime();
                try {
                    serve(request, response, chain);
                } finally {
                    traffic.served(start);
                }
            }

            private void serve(ServletRequest request, ServletResponse response, FilterChain chain)
                    throws IOException, ServletException {
                HttpServletRequest req = traffic.count((HttpServletRequest) request);
                HttpServletResponse res = traffic.count((HttpServletResponse) response);
                String path = req.getPathInfo();
                Optional<Repo> repo = repoFor(nameOf(path));
                boolean push = (path != null && path.endsWith("git-receive-pack"))
                        || "git-receive-pack".equals(req.getParameter("service"));
                Principal principal = principal(req.getHeader("Authorization"));
                if (principal == null) {
                    challenge(res, "Invalid username or token. Password authentication is not supported for Git operations.");
                    return;
                }
                String perm;
                synchronized (hub) {
                    perm = repo.map(r -> hub.permission(r, principal)).orElse("none");
                }
                boolean anonymous = principal instanceof Principal.Anonymous;
                if (repo.isEmpty() || Hub.level(perm) < Hub.level("read")) {
                    if (anonymous) {
                        challenge(res, "Authentication required");
                    } else {
                        res.sendError(404, "Repository not found.");
                    }
                    return;
                }
                if (push && Hub.level(perm) < Hub.level("write")) {
                    if (anonymous) {
                        challenge(res, "Authentication required");
                    } else {
                        res.sendError(403, "Permission to " + repo.get().fullName() + ".git denied.");
                    }
                    return;
                }
                req.setAttribute(PRINCIPAL, principal);
                chain.doFilter(req, res);
            }
        };
    }

    private static void challenge(HttpServletResponse res, String message) throws IOException {
        res.setHeader("WWW-Authenticate", "Basic realm=\"GitHub\"");
        res.sendError(401, message);
    }

    /** The principal for an Authorization header; Anonymous without one; null when the credentials are bad. */
    private Principal principal(String header) {
        if (header == null) {
            return new Principal.Anonymous();
        }
        String token;
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            token = decoded.substring(decoded.indexOf(':') + 1);
        } else if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).strip();
        } else {
            return null;
        }
        synchronized (hub) {
            return hub.principalForToken(token).orElse(null);
        }
    }
}
