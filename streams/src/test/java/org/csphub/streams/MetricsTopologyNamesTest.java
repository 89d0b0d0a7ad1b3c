package org.csphub.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.csphub.disclosure.DisclosureControl;
import org.csphub.serde.SerdeConfig;
import org.junit.jupiter.api.Test;

class MetricsTopologyNamesTest {

    private static TopologyDescription describe() {
        final Map<String, Object> serdes = Map.of(SerdeConfig.SCHEMA_REGISTRY_URL, "mem://names");
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "names");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return MetricsApplication.topology(serdes, "csp", "CSP", new DisclosureControl(5, ward -> Optional.empty()),
                properties).describe();
    }

    static Set<String> stores(final TopologyDescription description) {
        final Set<String> stores = new TreeSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Processor processor) {
                stores.addAll(processor.stores());
            }
        }));
        return stores;
    }

    static Set<String> nodes(final TopologyDescription description) {
        final Set<String> nodes = new TreeSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> nodes.add(node.name())));
        return nodes;
    }

    static Set<String> topics(final TopologyDescription description) {
        final Set<String> topics = new TreeSet<>();
        description.subtopologies().forEach(subtopology -> subtopology.nodes().forEach(node -> {
            if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                topics.addAll(source.topicSet());
            } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                topics.add(sink.topic());
            }
        }));
        return topics;
    }

    /** The state stores; each has a changelog topic named after it, so a renamed store loses its state. */
    private static final Set<String> STORES = Set.of(
                "ambulance-csp-age-band-series",
                "ambulance-csp-sex-series",
                "ambulance-csp-total-series",
                "ambulance-district-age-band-series",
                "ambulance-district-sex-series",
                "ambulance-district-total-series",
                "ambulance-emitted-series",
                "ambulance-ward-age-band-series",
                "ambulance-ward-sex-series",
                "ambulance-ward-share",
                "ambulance-ward-share-join-subscription-store",
                "ambulance-ward-total-series",
                "asb-csp-category-series",
                "asb-csp-total-series",
                "asb-district-category-series",
                "asb-district-total-series",
                "asb-emitted-series",
                "asb-ward-category-series",
                "asb-ward-share",
                "asb-ward-share-join-subscription-store",
                "asb-ward-total-series",
                "fire-csp-cause-series",
                "fire-csp-incident-type-series",
                "fire-csp-total-series",
                "fire-district-cause-series",
                "fire-district-incident-type-series",
                "fire-district-total-series",
                "fire-emitted-series",
                "fire-ward-cause-series",
                "fire-ward-incident-type-series",
                "fire-ward-total-series",
                "idva-person-records",
                "idva-csp-risk-level-series",
                "idva-csp-strand-series",
                "idva-csp-total-series",
                "idva-district-risk-level-series",
                "idva-district-strand-series",
                "idva-district-total-series",
                "idva-flagged-records",
                "idva-emitted-series",
                "idva-records",
                "idva-repeat-join-subscription-store",
                "asb-contributions",
                "asb-passed-cells",
                "asb-held-series",
                "asb-held-shares",
                "ambulance-contributions",
                "ambulance-passed-cells",
                "ambulance-held-series",
                "ambulance-held-shares",
                "fire-contributions",
                "fire-passed-cells",
                "fire-held-series",
                "idva-contributions",
                "idva-passed-cells",
                "idva-held-series",
                "asb-publication-input", "asb-publication-pending", "asb-published",
                "ambulance-publication-input", "ambulance-publication-pending", "ambulance-published",
                "fire-publication-input", "fire-publication-pending", "fire-published",
                "idva-publication-input", "idva-publication-pending", "idva-published");

    /** The topics read and written, internal ones (repartition, join subscription) by their suffix. */
    private static final Set<String> TOPICS = Set.of(
                "ambulance-csp-age-band-by-series-repartition",
                "ambulance-csp-sex-by-series-repartition",
                "ambulance-csp-total-by-series-repartition",
                "ambulance-district-age-band-by-series-repartition",
                "ambulance-district-sex-by-series-repartition",
                "ambulance-district-total-by-series-repartition",
                "ambulance-ward-age-band-by-series-repartition",
                "ambulance-ward-sex-by-series-repartition",
                "ambulance-ward-share-join-subscription-registration-topic",
                "ambulance-ward-share-join-subscription-response-topic",
                "ambulance-ward-total-by-series-repartition",
                "asb-csp-category-by-series-repartition",
                "asb-csp-total-by-series-repartition",
                "asb-district-category-by-series-repartition",
                "asb-district-total-by-series-repartition",
                "asb-ward-category-by-series-repartition",
                "asb-ward-share-join-subscription-registration-topic",
                "asb-ward-share-join-subscription-response-topic",
                "asb-ward-total-by-series-repartition",
                "csp.metrics.ambulance",
                "csp.metrics.asb",
                "csp.metrics.fire",
                "csp.metrics.idva",
                "csp.raw.ambulance-callouts",
                "csp.raw.fire-incidents",
                "csp.raw.idva-referrals",
                "csp.raw.police-asb",
                "fire-csp-cause-by-series-repartition",
                "fire-csp-incident-type-by-series-repartition",
                "fire-csp-total-by-series-repartition",
                "fire-district-cause-by-series-repartition",
                "fire-district-incident-type-by-series-repartition",
                "fire-district-total-by-series-repartition",
                "fire-ward-cause-by-series-repartition",
                "fire-ward-incident-type-by-series-repartition",
                "fire-ward-total-by-series-repartition",
                "idva-csp-risk-level-by-series-repartition",
                "idva-csp-strand-by-series-repartition",
                "idva-csp-total-by-series-repartition",
                "idva-district-risk-level-by-series-repartition",
                "idva-district-strand-by-series-repartition",
                "idva-district-total-by-series-repartition",
                "idva-records-by-person-repartition",
                "idva-repeat-join-subscription-registration-topic",
                "idva-repeat-join-subscription-response-topic",
                "csp.published.asb",
                "csp.published.ambulance",
                "csp.published.fire",
                "csp.published.idva");

    @Test
    void shouldKeepTheNamesOfEveryStoreAndTopic() {
        final TopologyDescription description = describe();

        assertThat(stores(description).stream().filter(name -> !ofNewFamily(name)))
                .containsExactlyInAnyOrderElementsOf(STORES);
        assertThat(topics(description).stream().filter(name -> !ofNewFamily(name)))
                .containsExactlyInAnyOrderElementsOf(TOPICS);
    }

    /** The families of police crime, needle finds and ED assaults, added after the names above were kept. */
    private static final Set<String> NEW_FAMILIES = Set.of("crime", "needles", "ed");
    private static final Set<String> NEW_TOPICS = Set.of("csp.raw.police-crime", "csp.raw.needle-finds",
            "csp.raw.ed-assaults", "csp.metrics.crime", "csp.metrics.needles", "csp.metrics.ed", "csp.published.crime",
            "csp.published.needles", "csp.published.ed");

    private static boolean ofNewFamily(final String name) {
        return NEW_TOPICS.contains(name) || NEW_FAMILIES.stream().anyMatch(family -> name.startsWith(family + "-"));
    }

    @Test
    void shouldNameTheStoresAndTopicsOfEveryNewFamilyAfterItLikeTheOthers() {
        final TopologyDescription description = describe();
        final Set<String> stores = stores(description);
        final Set<String> topics = topics(description);

        assertThat(topics).containsAll(NEW_TOPICS);
        for (final String family : NEW_FAMILIES) {
            // the same stores as the ASB family, a family of the same levels, but for its own breakdowns
            assertThat(stores).as(family).contains(family + "-contributions", family + "-emitted-series",
                    family + "-held-series", family + "-passed-cells", family + "-publication-input",
                    family + "-publication-pending", family + "-published", family + "-ward-share",
                    family + "-ward-total-series", family + "-district-total-series", family + "-csp-total-series");
        }
        assertThat(stores).filteredOn(MetricsTopologyNamesTest::ofNewFamily).hasSizeGreaterThan(3 * 11);
    }

    @Test
    void shouldNameEveryProcessorExplicitly() {
        assertThat(nodes(describe())).hasSizeGreaterThan(STORES.size())
                .noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
    }
}
