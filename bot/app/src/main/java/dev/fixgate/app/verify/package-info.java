/**
 * Stage 10, verify: after a merge, re-checks the resource or the finding source; closes the initiative or
 * escalates.
 */
package dev.fixgate.app.verify;
