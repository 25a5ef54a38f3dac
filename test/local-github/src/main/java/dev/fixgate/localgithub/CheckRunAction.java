package dev.fixgate.localgithub;

/**
 * A button an app puts on its check run ({@code actions} of {@code POST}/{@code PATCH …/check-runs}). GitHub shows it
 * once the run has completed to people with write access; clicking it sends {@code check_run requested_action} with
 * {@code identifier} to that app only.
 *
 * @param label       the button text (at most 20 characters)
 * @param description what it does (at most 40 characters)
 * @param identifier  the app's reference for it (at most 20 characters)
 */
public record CheckRunAction(String label, String description, String identifier) {}
