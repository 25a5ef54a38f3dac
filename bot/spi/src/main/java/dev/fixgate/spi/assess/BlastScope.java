package dev.fixgate.spi.assess;

/** How far the effect of a change can reach, from narrowest to widest. */
public enum BlastScope {
    RESOURCE, SERVICE, ACCOUNT, ORGANIZATION
}
