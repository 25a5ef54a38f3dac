/**
 * Stage 4, enrich: gathers read-only evidence about each resource from its cloud (owner, environment,
 * usage, attachments, traffic) through the providers' evidence collectors.
 */
package dev.fixgate.app.enrich;
