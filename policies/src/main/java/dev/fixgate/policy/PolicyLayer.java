package dev.fixgate.policy;

/**
 * One engine of layer 1 (policy as code). Implementations fail closed: an engine that cannot decide returns a
 * denial that says why; it never throws and never allows by default.
 */
public interface PolicyLayer {

    String id();

    LayerResult evaluate(DecisionInput input);
}
