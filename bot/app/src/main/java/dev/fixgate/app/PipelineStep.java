package dev.fixgate.app;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a stage's entry point in the remediation chain (locate → plan → assess → gate). The chain has one owner:
 * only {@code dev.fixgate.app.pipeline} (and the stage's own package) may call a method marked with it, so every
 * command and the service run the same stages, each once, in the same order. Enforced by an ArchUnit rule in
 * {@code test/architecture}; the annotation is kept in the class files for it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface PipelineStep {
}
