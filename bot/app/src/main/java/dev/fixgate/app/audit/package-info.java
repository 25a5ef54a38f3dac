/**
 * The audit log every stage records to: append-only, hash-chained, verifiable. Not a stage: every stage
 * may use this package, and it uses none of them.
 */
package dev.fixgate.app.audit;
