/**
 * Stage 5, assess: turns evidence into a Remediation Confidence Indicator (SAFE / RISKY / UNSAFE) and a
 * blast radius; every step may move the score and says why.
 */
package dev.fixgate.app.assess;
