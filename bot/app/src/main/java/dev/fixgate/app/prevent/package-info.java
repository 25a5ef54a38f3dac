/**
 * Stage 11, prevent: proposes preventive guardrails (AWS SCPs, Azure Policy, GCP org policies) and the CI
 * check that blocks reintroduction.
 */
package dev.fixgate.app.prevent;
