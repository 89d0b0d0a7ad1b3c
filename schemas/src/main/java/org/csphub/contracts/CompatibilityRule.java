package org.csphub.contracts;

/**
 * How a contract may evolve. BACKWARD: the new schema reads everything written with every earlier
 * one (the raw feeds, read only by the hub's topologies, which upgrade first). FULL: that, and every
 * earlier schema reads what the new one writes (the metric topics, which outside consumers read and
 * upgrade at their own pace).
 */
public enum CompatibilityRule {
    BACKWARD,
    FULL
}
