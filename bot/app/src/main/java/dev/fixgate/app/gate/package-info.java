/**
 * Stage 7, gate: policy as code, then AI reasoning that can only tighten, then the approval requirement.
 * Every layer fails closed.
 */
package dev.fixgate.app.gate;
