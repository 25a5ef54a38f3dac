/**
 * Stage 6, plan: applies a playbook's patch operations to the files in memory and produces the remediation
 * plan: the edits, their diff, the rollback and the guardrail to propose.
 */
package dev.fixgate.app.plan;
