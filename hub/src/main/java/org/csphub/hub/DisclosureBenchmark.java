package org.csphub.hub;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.csphub.config.HubConfig;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.disclosure.DisclosurePolicy;
import org.csphub.disclosure.MetricCell;
import org.csphub.geography.Geography;
import org.csphub.metrics.AreaMetric;
import org.csphub.sinks.snapshot.MetricSnapshot;
import org.csphub.topics.FeedCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hub bench disclosure}: how much of each family's published values the feeds' declared
 * policies withhold, against one threshold for every feed, over the metric topics as they stand.
 */
@Command(name = "disclosure", mixinStandardHelpOptions = true,
        description = "Reads the metric topics and prints, per family, the share of values withheld under the "
                + "feeds' declared disclosure policies against the share under one threshold (disclosure.threshold)"
                + " for every feed.")
final class DisclosureBenchmark implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final HubConfig config = connection.config();
        final Geography geography = Geography.defaults();
        final FeedCatalog catalog = FeedCatalog.of(config);
        final MetricSnapshot snapshot = ReportCommand.reader(config, catalog).read(Duration.ofMinutes(2));
        final DisclosureControl declared = DisclosureControl.of(config, geography);
        final DisclosureControl single = new DisclosureControl(config.getInt(HubConfig.DISCLOSURE_THRESHOLD),
                code -> geography.wardByCode(code).map(ward -> ward.district().code()));
        final Map<String, List<AreaMetric>> byFamily = new LinkedHashMap<>();
        snapshot.metrics().forEach(metric -> byFamily.computeIfAbsent(MetricCell.of(metric).family(),
                family -> new ArrayList<>()).add(metric));
        final PrintWriter out = spec.commandLine().getOut();
        out.printf("%-10s %9s %18s %18s %12s  %s%n", "family", "values", "one threshold", "declared", "rounded",
                "declared policy");
        byFamily.forEach((family, metrics) -> {
            final List<AreaMetric> underOne = single.apply(metrics);
            final List<AreaMetric> underDeclared = declared.apply(metrics);
            int rounded = 0;
            for (int i = 0; i < metrics.size(); i++) {
                final Double before = metrics.get(i).getValue();
                final Double after = underDeclared.get(i).getValue();
                if (!underDeclared.get(i).getSuppressed() && before != null && !before.equals(after)) {
                    rounded++;
                }
            }
            final DisclosurePolicy policy = declared.familyPolicy(family);
            out.printf("%-10s %,9d %18s %18s %12s  %s%n", family, metrics.size(), share(withheld(underOne),
                    metrics.size()), share(withheld(underDeclared), metrics.size()), share(rounded, metrics.size()),
                    policy.describe() + (declared.disclosures().containsKey(family)
                            && !declared.disclosures().get(family).stricter().isEmpty() ? ", with stricter rules" : ""));
        });
        out.flush();
        return 0;
    }

    private static int withheld(final List<AreaMetric> published) {
        return (int) published.stream().filter(AreaMetric::getSuppressed).count();
    }

    private static String share(final int part, final int whole) {
        return String.format("%,d (%.0f%%)", part, whole == 0 ? 0 : part * 100.0 / whole);
    }
}
