package dev.fixgate.app.report;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.report.EvidenceReport.Item;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The report as one self-contained HTML page: the numbers as tables and tiles, three charts (MTTR trend against the
 * baseline, open vs fixed per week, control coverage) drawn by Chart.js — vendored and inlined, so the page works
 * offline — from the report's JSON, which the page carries. Every number shown carries {@code data-metric}: its
 * path in the JSON, so a test (or a reader) can check that the page says what the JSON says.
 */
public final class HtmlWriter {

    private static final String TEMPLATE = resource("report/report.html");
    private static final String CHART_JS = resource("report/chart.umd.min.js");
    private static final String NONE = "—";

    private final EvidenceReport r;
    private final StringBuilder body = new StringBuilder();

    private HtmlWriter(EvidenceReport report) {
        this.r = report;
    }

    public static String write(EvidenceReport report) {
        return new HtmlWriter(report).page();
    }

    private String page() {
        EvidenceReport.Scope s = r.scope();
        String title = "fixgate evidence report — " + s.frameworkTitle();
        String subtitle = s.from() + " to " + s.to() + (s.repository().isEmpty() ? "" : " · repository " + s.repository())
                + (s.account().isEmpty() ? "" : " · account " + s.account()) + " · generated " + r.generatedAt();
        summary();
        charts();
        severities();
        overdue();
        exceptions();
        controls();
        notes();
        // Inside <script>, "</script" would end the element: JSON escapes for <, > and & make that impossible.
        String data = Json.write(r).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
        return fill(TEMPLATE, Map.of("TITLE", esc(title), "SUBTITLE", esc(subtitle),
                "CONTROLS_HEIGHT", Integer.toString(Math.max(200, 60 + 26 * r.controls().size())),
                "BODY", body.toString(), "DATA", data, "CHARTJS", CHART_JS));
    }

    private void summary() {
        EvidenceReport.Summary m = r.summary();
        h2("Summary");
        body.append("<div class=\"tiles\">\n");
        tile("", "findings", "summary.findings", m.findings());
        tile("open", "open", "summary.open", m.open());
        tile("remediated", "remediated", "summary.remediated", m.remediated());
        tile("verified", "verified", "summary.verified", m.verified());
        tile("excepted", "excepted", "summary.excepted", m.excepted());
        tile("", "resolved at source", "summary.resolved", m.resolved());
        tile("open", "past deadline", "summary.overdue", m.overdue());
        tile("", "median days to merge", "mttr.overall.detectToMerge.medianDays", r.mttr().overall().detectToMerge().medianDays());
        tile("", "p90 days to merge", "mttr.overall.detectToMerge.p90Days", r.mttr().overall().detectToMerge().p90Days());
        tile("", "critical: mean days", "mttr.critical.detectToMerge.meanDays", r.mttr().critical().detectToMerge().meanDays());
        tile("", "baseline (mean days)", "mttr.baselineDays", r.mttr().baselineDays());
        tile("", "controls with open findings", "summary.controlsWithOpenFindings", m.controlsWithOpenFindings());
        body.append("</div>\n");
    }

    private void charts() {
        h2("Charts");
        body.append("<div class=\"charts\">\n");
        chart("chart-mttr", "Time to remediate: days from detection to merge, per week of merge", false);
        chart("chart-weekly", "Open vs fixed per week", false);
        chart("chart-controls", "Control coverage: findings per " + r.scope().frameworkTitle() + " control, by status", true);
        body.append("</div>\n");
    }

    private void chart(String id, String title, boolean wide) {
        body.append("<div class=\"chart").append(wide ? " wide" : "").append("\"><h3>").append(esc(title))
                .append("</h3><div class=\"box\"><canvas id=\"").append(id).append("\" role=\"img\" aria-label=\"")
                .append(esc(title)).append("\"></canvas></div></div>\n");
    }

    private void severities() {
        h2("Time to remediate by severity, against FedRAMP's deadlines");
        body.append("<table><thead><tr><th>severity</th><th>FedRAMP risk</th><th class=\"num\">deadline (days)</th>"
                + "<th class=\"num\">merged</th><th class=\"num\">median days</th><th class=\"num\">p90 days</th>"
                + "<th class=\"num\">merged late</th><th class=\"num\">open</th><th class=\"num\">open past deadline</th>"
                + "<th class=\"num\">merge → verification (median)</th></tr></thead><tbody>\n");
        List<EvidenceReport.SeverityRow> rows = r.mttr().bySeverity();
        for (int i = 0; i < rows.size(); i++) {
            EvidenceReport.SeverityRow row = rows.get(i);
            String p = "mttr.bySeverity." + i + ".";
            body.append("<tr><td>").append(esc(row.severity())).append("</td><td>")
                    .append(row.fedrampRisk().isEmpty() ? "<span class=\"muted\">none</span>" : esc(row.fedrampRisk()))
                    .append("</td>");
            num(p + "deadlineDays", row.deadlineDays() == 0 ? null : row.deadlineDays());
            num(p + "merged", row.merged());
            num(p + "stats.detectToMerge.medianDays", row.stats().detectToMerge().medianDays());
            num(p + "stats.detectToMerge.p90Days", row.stats().detectToMerge().p90Days());
            num(p + "mergedLate", row.mergedLate());
            num(p + "open", row.open());
            num(p + "openOverdue", row.openOverdue());
            num(p + "stats.mergeToVerify.medianDays", row.stats().mergeToVerify().medianDays());
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
        if (!r.mttr().verificationRecorded()) {
            body.append("<p class=\"muted\">Merge → verification is empty: no verification after merge is recorded yet"
                    + " (no merged fix has been verified). Times are measured from detection to merge.</p>\n");
        }
        body.append("<p class=\"muted\">Deadlines: ").append(esc(r.deadlines().source())).append(".</p>\n");
    }

    private void overdue() {
        h2("Past their deadline");
        if (r.overdue().isEmpty()) {
            body.append("<p>None.</p>\n");
            return;
        }
        body.append("<table><thead><tr><th>control</th><th>severity</th><th>resource</th><th>detected</th><th>due</th>"
                + "<th>status</th><th class=\"num\">days over</th></tr></thead><tbody>\n");
        for (int i = 0; i < r.overdue().size(); i++) {
            EvidenceReport.Overdue o = r.overdue().get(i);
            body.append("<tr><td>").append(esc(String.join(", ", o.frameworkControls().isEmpty() ? List.of(o.control())
                            : o.frameworkControls()))).append("</td><td>").append(esc(o.severity())).append("</td><td><code>")
                    .append(esc(o.resource())).append("</code></td><td>").append(esc(o.detectedAt().toString()))
                    .append("</td><td>").append(esc(o.dueAt().toString())).append("</td><td class=\"bad\">")
                    .append(esc(o.status())).append("</td>");
            num("overdue." + i + ".daysOverdue", o.daysOverdue());
            body.append("</tr>\n");
        }
        body.append("</tbody></table>\n");
    }

    private void exceptions() {
        h2("Risk acceptances");
        if (r.exceptions().isEmpty()) {
            body.append("<p>None in force.</p>\n");
            return;
        }
        body.append("<table><thead><tr><th>resource</th><th>control</th><th>kind</th><th>accepted by</th><th>why</th>"
                + "<th>since</th><th>until</th></tr></thead><tbody>\n");
        for (EvidenceReport.Acceptance a : r.exceptions()) {
            body.append("<tr><td><code>").append(esc(a.resource())).append("</code></td><td>").append(esc(a.control()))
                    .append("</td><td>").append(esc(a.kind())).append("</td><td>").append(esc(a.acceptedBy()))
                    .append("</td><td>").append(esc(a.reason())).append("</td><td>").append(esc(a.since().toString()))
                    .append("</td><td>").append(a.until() == null ? "<span class=\"muted\">no expiry set</span>"
                            : esc(a.until().toString())).append("</td></tr>\n");
        }
        body.append("</tbody></table>\n");
    }

    private void controls() {
        h2("Control status — " + r.scope().frameworkTitle());
        body.append("<table><thead><tr><th>control</th>");
        for (String s : ReportBuilder.STATUSES) {
            body.append("<th class=\"num\">").append(esc(s)).append("</th>");
        }
        body.append("<th>resources behind the open ones</th></tr></thead><tbody>\n");
        for (int i = 0; i < r.controls().size(); i++) {
            EvidenceReport.ControlStatus c = r.controls().get(i);
            body.append("<tr><td>").append(esc(c.control())).append("</td>");
            for (String s : ReportBuilder.STATUSES) {
                num("controls." + i + ".counts." + s, c.counts().get(s));
            }
            body.append("<td>");
            for (String res : c.resources().getOrDefault("open", List.of())) {
                body.append("<code>").append(esc(res)).append("</code><br>");
            }
            body.append("</td></tr>\n");
        }
        body.append("</tbody></table>\n");
        h2("Findings");
        body.append("<table><thead><tr><th>detected</th><th>severity</th><th>control</th><th>resource</th><th>status</th>"
                + "<th class=\"num\">days to merge</th><th>fix</th></tr></thead><tbody>\n");
        for (int i = 0; i < r.items().size(); i++) {
            Item it = r.items().get(i);
            body.append("<tr><td>").append(esc(it.detectedAt().toString())).append("</td><td>").append(esc(it.severity()))
                    .append("</td><td>").append(esc(String.join(", ", it.frameworkControls().isEmpty()
                            ? List.of(it.control()) : it.frameworkControls()))).append("</td><td><code>")
                    .append(esc(it.resource().key())).append("</code></td><td").append(it.overdue() ? " class=\"bad\"" : "")
                    .append(">").append(esc(it.status())).append("</td>");
            num("items." + i + ".daysToMerge", it.daysToMerge());
            body.append("<td>");
            if (it.fix() != null && it.fix().pullRequest() != null) {
                body.append("<a href=\"").append(esc(it.fix().pullRequest())).append("\">").append(esc(it.fix().repository()))
                        .append(" #").append(it.fix().pullNumber()).append("</a>");
            } else if (it.fix() != null && it.fix().issueNumber() != null) {
                body.append(esc(it.fix().repository())).append(" issue #").append(it.fix().issueNumber());
            }
            body.append("</td></tr>\n");
        }
        body.append("</tbody></table>\n");
    }

    private void notes() {
        body.append("<footer><ul class=\"notes\">");
        for (String n : r.notes()) {
            body.append("<li>").append(esc(n)).append("</li>");
        }
        body.append("<li>Audit log head when this report was made: entry <span data-metric=\"auditHead.seq\">")
                .append(r.auditHead().seq()).append("</span>, hash <code>").append(esc(r.auditHead().hash()))
                .append("</code>.</li>");
        body.append("<li>Charts drawn with Chart.js (MIT licence), included in this page.</li></ul></footer>\n");
    }

    private void h2(String text) {
        body.append("<h2>").append(esc(text)).append("</h2>\n");
    }

    private void tile(String cls, String label, String metric, Object value) {
        body.append("<div class=\"tile ").append(cls).append("\"><div class=\"n\" data-metric=\"").append(metric)
                .append("\">").append(value == null ? NONE : esc(value.toString())).append("</div><div class=\"l\">")
                .append(esc(label)).append("</div></div>\n");
    }

    private void num(String metric, Object value) {
        body.append("<td class=\"num\" data-metric=\"").append(metric).append("\">")
                .append(value == null ? NONE : esc(value.toString())).append("</td>");
    }

    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String resource(String path) {
        try (InputStream in = HtmlWriter.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The template with each {@code {{NAME}}} replaced, in one pass over the template only, so a value that happens
     * to contain a placeholder (a finding title is untrusted) is never replaced again.
     */
    static String fill(String template, Map<String, String> values) {
        StringBuilder out = new StringBuilder(template.length() + 300_000);
        int at = 0;
        while (true) {
            int start = template.indexOf("{{", at);
            int end = start < 0 ? -1 : template.indexOf("}}", start);
            if (start < 0 || end < 0) {
                return out.append(template, at, template.length()).toString();
            }
            String name = template.substring(start + 2, end);
            String value = values.get(name);
            out.append(template, at, start).append(value == null ? template.substring(start, end + 2) : value);
            at = end + 2;
        }
    }
}
