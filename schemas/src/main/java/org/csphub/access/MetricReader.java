package org.csphub.access;

/**
 * A principal that reads metrics and nothing else: the sinks (the metric topics and the published
 * topics) or the research group (the published topics only, after disclosure control). Its consumer
 * groups must start with {@code groupPrefix}.
 */
public record MetricReader(String principal, String groupPrefix) {
}
