package org.csphub.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.csphub.feeds.ambulance.AmbulanceCallout;
import org.csphub.feeds.asb.AsbIncident;
import org.csphub.feeds.fire.FireIncident;
import org.csphub.feeds.idva.IdvaReferral;
import org.csphub.geography.Area;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractSchemasTest {

    static Stream<Arguments> shippedFeeds() {
        return Stream.of(
                Arguments.of("police-asb", AsbIncident.getClassSchema()),
                Arguments.of("ambulance-callouts", AmbulanceCallout.getClassSchema()),
                Arguments.of("idva-referrals", IdvaReferral.getClassSchema()),
                Arguments.of("fire-incidents", FireIncident.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedFeeds")
    void shouldGenerateTheSchemaEachShippedFeedCarriesToday(final String slug, final Schema today) {
        final Schema generated = ShippedContracts.of(slug).avroSchema();

        assertThat(generated).isEqualTo(today);
        // Schema.equals leaves out documentation; the JSON has every doc, default and property
        assertThat(generated.toString(true)).isEqualTo(today.toString(true));
    }

    @Test
    void shouldKeepEveryShippedContractsSchemaCompatibleWithItsReleasedVersions() {
        final Path history = Path.of(System.getProperty("basedir", ".")).resolve("src/main/avro/history");
        final List<Contract> contracts = ShippedContracts.all().stream()
                .map(contract -> new Contract(contract.record().name(), contract.avroSchema(),
                        CompatibilityRule.BACKWARD))
                .toList();

        assertThat(SchemaHistoryCheck.check(contracts, history)).isEmpty();
    }

    @Test
    void shouldGiveAnOptionalColumnItsDefaultOrANullAndASumItsInteger() {
        final FeedContract contract = FeedContractReader.parse(FeedContractReaderTest.valid(), "needle-finds.yaml");

        assertThat(contract.avroSchema().toString()).isEqualTo("{\"type\":\"record\",\"name\":\"NeedleFind\","
                + "\"namespace\":\"org.csphub.feeds.needles\",\"doc\":\"One find of discarded needles.\",\"fields\":["
                + "{\"name\":\"find_id\",\"type\":{\"type\":\"string\",\"avro.java.string\":\"String\"},"
                + "\"doc\":\"The council's own reference.\"},"
                + "{\"name\":\"found_on\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"},"
                + "\"doc\":\"When the needles were found.\"},"
                + "{\"name\":\"place\",\"type\":{\"type\":\"enum\",\"name\":\"Place\",\"doc\":\"Where a find was.\","
                + "\"symbols\":[\"PARK\",\"STREET\",\"OTHER\"]},\"doc\":\"Where the needles were found.\"},"
                + "{\"name\":\"needles\",\"type\":\"int\",\"doc\":\"How many needles.\"},"
                + "{\"name\":\"cleared\",\"type\":\"boolean\",\"doc\":\"Cleared the same day.\",\"default\":false},"
                + "{\"name\":\"bags\",\"type\":[\"null\",\"int\"],\"doc\":\"Sharps bags used, when noted.\","
                + "\"default\":null},"
                + "{\"name\":\"area\",\"type\":" + Area.getClassSchema() + ","
                + "\"doc\":\"The ward and its district.\"},"
                + "{\"name\":\"received_at\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"},"
                + "\"doc\":\"When the hub's adapter accepted the row.\"},"
                + "{\"name\":\"source\",\"type\":[\"null\",{\"type\":\"string\",\"avro.java.string\":\"String\"}],"
                + "\"doc\":\"Where the row came from: file name and line, or the HTTP request id.\",\"default\":null}]}");
    }
}
