/**
 * fixgate's domain model and service-provider interfaces.
 *
 * <p>Records and interfaces only: this module performs no I/O and depends on nothing but the JDK, so every
 * other module (patchers, providers, policies, playbooks) can build against it without pulling the app in.
 * Values never carry {@code null}: optional parts are expressed as empty strings or empty lists with a
 * documented meaning, and {@link java.util.Optional} appears only as a return type.
 */
package dev.fixgate.spi;
