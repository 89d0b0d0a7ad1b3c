package org.csphub.access;

/**
 * A principal that reads the metric topics and nothing else: the sinks, or the research group. Its
 * consumer groups must start with {@code groupPrefix}.
 */
public record MetricReader(String principal, String groupPrefix) {
}
