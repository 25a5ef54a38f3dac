package dev.fixgate.app.gate;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.policy.DecisionInput;
import java.time.Instant;

/** The repository's change windows, blackouts and high-traffic events, evaluated at one instant. */
public final class Calendars {

    private Calendars() {
    }

    public static DecisionInput.Calendar at(RepoConfig config, Instant now) {
        return new DecisionInput.Calendar(!config.changeWindows().isEmpty(), config.inChangeWindow(now),
                config.safety().blackoutAt(now).map(RepoConfig.Period::name).orElse(""),
                config.safety().highTrafficAt(now));
    }
}
