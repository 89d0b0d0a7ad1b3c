package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldCheckAnExportWithoutAClusterOnADryRun() throws Exception {
        final Path export = dir.resolve("asb.csv");
        Files.writeString(export, String.join("\n",
                "incident_id,reported_at,category,ward,lsoa",
                "ASB-1,2020-05-01 10:00,NUISANCE,Market,",
                "ASB-2,2020-05-02 11:30,PERSONAL,Abbey,",
                "ASB-3,2020-05-03 12:00,NUISANCE,Nowhere Green,") + "\n", StandardCharsets.UTF_8);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();

        // nothing listens on port 1: a dry run must not need the cluster or the registry
        final int code = HubCommand.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("publish",
                "--dry-run", "--feed", "police-asb", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry",
                "http://127.0.0.1:1/apis/ccompat/v7", "--data-dir", dir.resolve("data").toString(), export.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("asb.csv (police-asb): 3 rows read, 2 accepted (0 retractions), 1 rejected")
                .contains("line 4: ASB-3,2020-05-03 12:00,NUISANCE,Nowhere Green,")
                .contains("UNKNOWN_WARD asb.csv line 4, column 4 (ward): 'Nowhere Green' is not a ward in force on "
                        + "2020-05-03")
                .contains("(dry run: nothing was published)");
    }
}
