/**
 * Stage 2, group: fingerprints, deduplicates (the same problem from two tools or two scans is one finding
 * with several sightings) and groups findings into initiatives, the unit that becomes one pull request.
 */
package dev.fixgate.app.group;
