/**
 * Stage 1, ingest: reads a source format (ASFF, OCSF, SARIF, …) into canonical findings. Detects the
 * format, streams the input, keeps the valid records of a partly broken file and reports the rest with their
 * location.
 */
package dev.fixgate.app.ingest;
