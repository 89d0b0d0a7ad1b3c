package org.csphub.producers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.csphub.producers.agencies.Agency;
import org.csphub.producers.agencies.AgencyDirectory;
import org.csphub.topics.Feed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgencyDirectoryTest {

    @Test
    void shouldReadAgenciesAndAuthenticateByTheHashOfTheToken(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("agencies.yaml");
        Files.writeString(file, """
                agencies:
                  - name: Fire and Rescue
                    feeds: [fire-incidents]
                    token_sha256: %s
                  - name: IDVA service
                    feeds: [idva-referrals, IDVA_REFERRALS]
                    token_sha256: %s
                """.formatted(AgencyDirectory.hashOf("fire-secret"), AgencyDirectory.hashOf("idva-secret")));

        final AgencyDirectory agencies = AgencyDirectory.read(file);

        assertThat(agencies.authenticate("idva-secret")).contains(new Agency("IDVA service", Set.of(Feed.IDVA_REFERRALS),
                AgencyDirectory.hashOf("idva-secret")));
        assertThat(agencies.authenticate("fire-secret").map(Agency::name)).contains("Fire and Rescue");
        assertThat(agencies.authenticate("guess")).isEmpty();
        assertThat(Files.readString(file)).doesNotContain("fire-secret");
    }
}
