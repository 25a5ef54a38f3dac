/**
 * Stage 6, assess: turns the planned change and the evidence into a Remediation Confidence Indicator
 * (SAFE / RISKY / UNSAFE) and a blast radius; every step may move the score and says why. It comes after plan
 * because the score depends on what the plan could write (a refused patch is never SAFE).
 */
package dev.fixgate.app.assess;
