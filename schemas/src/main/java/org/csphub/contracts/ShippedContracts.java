package org.csphub.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The contracts of the feeds the hub ships with, read from this jar's {@code feeds/} folder. */
public final class ShippedContracts {

    /** The shipped feeds' slugs, in the order the hub lists its feeds. */
    public static final List<String> SLUGS = List.of("police-asb", "ambulance-callouts", "idva-referrals",
            "fire-incidents", "police-crime", "needle-finds", "ed-assaults");

    private ShippedContracts() {
    }

    public static List<FeedContract> all() {
        return SLUGS.stream().map(ShippedContracts::of).toList();
    }

    /** The shipped contract of {@code slug}. */
    public static FeedContract of(final String slug) {
        final String resource = "feeds/" + slug + ".yaml";
        try (InputStream in = ShippedContracts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No shipped contract " + resource + "; shipped feeds are "
                        + String.join(", ", SLUGS));
            }
            return FeedContractReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + resource, e);
        }
    }
}
