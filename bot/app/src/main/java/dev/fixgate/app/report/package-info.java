/**
 * Evidence for auditors ({@code fixgate report}): what fixgate already stores — findings and their sightings,
 * remediations, gate decisions, risk acceptances, verifications and the audit log — read into one
 * {@link dev.fixgate.app.report.EvidenceReport} for a time range, a framework and optionally one repository or
 * account, and written as JSON, CSV, OSCAL assessment results or a self-contained HTML page.
 *
 * <p>Not a stage: it only reads. It uses the store, the audit log and the playbooks' compliance mappings, never a
 * stage, and only the commands (the CLI and the wiring) use it.
 */
package dev.fixgate.app.report;
