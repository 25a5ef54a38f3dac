/**
 * Stage 9, merge: merges SAFE fixes once the required checks pass and RISKY fixes after an authorised
 * approving review, inside the repository's change windows.
 */
package dev.fixgate.app.merge;
