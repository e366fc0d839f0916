package io.tlswatch.tlsrpt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import io.tlswatch.tlsrpt.Samples;
import io.tlswatch.tlsrpt.TlsRptJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsRptCliTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final TlsRptCli cli = new TlsRptCli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private List<JsonNode> printedReports() throws Exception {
        try (MappingIterator<JsonNode> reports = TlsRptJson.mapper().readerFor(JsonNode.class)
                .readValues(out.toString(StandardCharsets.UTF_8))) {
            return reports.readAll();
        }
    }

    @Test
    void printsTheNormalisedReportOfAJsonFile() throws Exception {
        int status = cli.run(new String[] {Samples.dir().resolve("domainaware_parsedmarc__rfc8460.json").toString()});
        assertThat(status).isZero();
        JsonNode report = printedReports().get(0);
        assertThat(report.path("report-id").asText()).isEqualTo("5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        // Normalised: mx-host was a string in the file, it is an array here.
        assertThat(report.at("/policies/0/policy/mx-host/0").asText()).isEqualTo("*.mail.company-y.example");
    }

    @Test
    void printsEveryReportOfAMailAndOfAGzipFile(@TempDir Path dir) throws Exception {
        Path gz = dir.resolve("google.json.gz");
        Files.write(gz, Samples.gzip(Samples.read("cry-inc_dmarc-report-viewer__google.json")));
        int status = cli.run(new String[] {Samples.dir().resolve("mjl-_mox__microsoft.eml").toString(), gz.toString()});
        assertThat(status).isZero();
        assertThat(printedReports()).extracting(r -> r.path("organization-name").asText())
                .containsExactly("Microsoft Corporation", "Google Inc.");
    }

    @Test
    void anInvalidReportExitsOneWithTheReasonOnStandardError() {
        String path = Samples.dir().resolve("stalwartlabs_mail-auth__rpt03.json").toString();
        assertThat(cli.run(new String[] {path})).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(path + ": invalid report (not-a-report): policies[0].summary.total-failure-session-count: missing");
        assertThat(out.size()).isZero();
    }

    @Test
    void aMailWithoutAReportExitsOne(@TempDir Path dir) throws Exception {
        Path eml = dir.resolve("hello.eml");
        Files.writeString(eml, "From: a@b.example\r\nSubject: hi\r\n\r\nhello\r\n");
        assertThat(cli.run(new String[] {eml.toString()})).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("the message holds no TLS report");
    }

    @Test
    void usageAndUnreadableFilesExitTwo(@TempDir Path dir) {
        assertThat(cli.run(new String[0])).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: tlsrpt FILE...");
        assertThat(cli.run(new String[] {dir.resolve("missing.json").toString()})).isEqualTo(2);
    }
}
