package org.csphub.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

class SchemaHistoryCheckTest {

    private static final Schema RELEASED = SchemaBuilder.record("Thing").namespace("org.example").fields()
            .requiredString("id")
            .requiredLong("count")
            .optionalString("note")
            .endRecord();

    @Test
    void shouldKeepEveryContractCompatibleWithAllItsReleasedVersions() {
        final Path history = Path.of(System.getProperty("basedir", ".")).resolve("src/main/avro/history");

        final List<String> problems = SchemaHistoryCheck.check(Contract.all(), history);

        assertThat(problems).as("schema changes that break a contract's compatibility rule").isEmpty();
    }

    @Test
    void shouldRefuseAFieldAddedWithoutADefaultNamingSchemaFieldAndRule() {
        final Schema changed = SchemaBuilder.record("Thing").namespace("org.example").fields()
                .requiredString("id")
                .requiredLong("count")
                .optionalString("note")
                .requiredString("ward")
                .endRecord();

        final List<String> problems = SchemaHistoryCheck.check(
                new Contract("Thing", changed, CompatibilityRule.BACKWARD), "v1", RELEASED);

        assertThat(problems).singleElement().asString()
                .startsWith("Thing breaks the BACKWARD rule against released version v1")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("field 'ward'")
                .contains("the new schema cannot read records written with v1");
    }

    @Test
    void shouldRefuseANarrowedFieldType() {
        final Schema changed = SchemaBuilder.record("Thing").namespace("org.example").fields()
                .requiredString("id")
                .requiredInt("count")
                .optionalString("note")
                .endRecord();

        final List<String> problems = SchemaHistoryCheck.check(
                new Contract("Thing", changed, CompatibilityRule.BACKWARD), "v1", RELEASED);

        assertThat(problems).singleElement().asString()
                .contains("Thing breaks the BACKWARD rule")
                .contains("TYPE_MISMATCH")
                .contains("/fields/1/type");
    }

    @Test
    void shouldAcceptAnOptionalFieldWithADefaultUnderBothRules() {
        final Schema changed = SchemaBuilder.record("Thing").namespace("org.example").fields()
                .requiredString("id")
                .requiredLong("count")
                .optionalString("note")
                .optionalString("ward")
                .endRecord();

        assertThat(SchemaHistoryCheck.check(new Contract("Thing", changed, CompatibilityRule.BACKWARD), "v1", RELEASED))
                .isEmpty();
        assertThat(SchemaHistoryCheck.check(new Contract("Thing", changed, CompatibilityRule.FULL), "v1", RELEASED))
                .isEmpty();
    }

    @Test
    void shouldRefuseUnderFullWhatBackwardAllows() {
        final Schema removedRequired = SchemaBuilder.record("Thing").namespace("org.example").fields()
                .requiredString("id")
                .optionalString("note")
                .endRecord();

        assertThat(SchemaHistoryCheck.check(new Contract("Thing", removedRequired, CompatibilityRule.BACKWARD), "v1",
                RELEASED)).isEmpty();
        assertThat(SchemaHistoryCheck.check(new Contract("Thing", removedRequired, CompatibilityRule.FULL), "v1",
                RELEASED)).singleElement().asString()
                .contains("Thing breaks the FULL rule")
                .contains("field 'count'")
                .contains("consumers still on v1 cannot read records written with the new schema");
    }
}
