package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.csphub.access.Audience;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.ParseResult;

/** {@code --audience} of the commands that write an output for a reader: public unless told otherwise. */
class AudienceOptionTest {

    /** The options object of the command that {@code args} call, as picocli parsed them. */
    private static Object parsed(final String... args) {
        ParseResult result = HubCommand.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())).parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec().userObject();
    }

    @Test
    void shouldReportThePublicViewUnlessAPartnersIsAskedFor() {
        final ReportCommand byDefault = (ReportCommand) parsed("report", "--period", "2020/21");
        final ReportCommand partner = (ReportCommand) parsed("report", "--period", "2020/21", "--audience", "Partner");

        assertThat(byDefault.audience).isEqualTo(Audience.PUBLIC);
        assertThat(partner.audience).isEqualTo(Audience.PARTNER);
    }

    @Test
    void shouldExtractThePublicViewUnlessAPartnersIsAskedFor() {
        final SinkCommand.Extract byDefault = (SinkCommand.Extract) parsed("sink", "extract", "--once");
        final SinkCommand.Extract partner = (SinkCommand.Extract) parsed("sink", "extract", "--once", "--audience",
                "partner");

        assertThat(byDefault.audience).isEqualTo(Audience.PUBLIC);
        assertThat(partner.audience).isEqualTo(Audience.PARTNER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"report --period 2020/21", "sink extract"})
    void shouldRefuseAnUnknownAudienceNamingTheValidOnes(final String words) {
        final StringWriter err = new StringWriter();
        final String[] args = (words + " --audience everyone").split(" ");

        final int code = HubCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err))
                .execute(args);

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'everyone' is not an audience; valid audiences are partner, public");
    }

}
