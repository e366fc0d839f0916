package io.tlswatch.ingest.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tlswatch.ingest.smtp.SmtpTestClient.Reply;
import io.tlswatch.ingest.testing.StubReportStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two sessions at once per client, three messages per minute, messages up to 64 KiB. Each test
 * connects from its own loopback address, so it has its own per-client counts.
 */
@QuarkusTest
@TestProfile(SmtpLimitsTest.LowLimits.class)
class SmtpLimitsTest {

    static final int MAX_MESSAGE = 64 * 1024;

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tlswatch.ingest.smtp.max-connections-per-client", "2",
                    "tlswatch.ingest.smtp.messages-per-minute-per-client", "3",
                    "tlswatch.ingest.smtp.max-message-size", String.valueOf(MAX_MESSAGE));
        }
    }

    @Inject
    SmtpListener listener;

    @BeforeEach
    @AfterEach
    void emptyStore() {
        StubReportStore.clear();
    }

    @Test
    void aThirdConcurrentSessionFromOneClientIs421WhileOthersAreServed() {
        try (SmtpTestClient first = SmtpTestClient.connect(listener.port(), "127.0.0.2");
                SmtpTestClient second = SmtpTestClient.connect(listener.port(), "127.0.0.2")) {
            assertThat(first.greeting().code()).isEqualTo(220);
            assertThat(second.greeting().code()).isEqualTo(220);
            try (SmtpTestClient third = SmtpTestClient.connect(listener.port(), "127.0.0.2")) {
                assertThat(third.greeting().text()).isEqualTo("421 4.7.0 too many connections from 127.0.0.2; try again later");
                assertThat(third.closedByServer()).isTrue();
            }
            try (SmtpTestClient other = SmtpTestClient.connect(listener.port(), "127.0.0.3")) {
                assertThat(other.greeting().code()).isEqualTo(220);
            }
        }
        // Once a session ends its place is free again: as soon as the server has seen the close, which it
        // learns a moment after the client's socket is closed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            try (SmtpTestClient again = SmtpTestClient.connect(listener.port(), "127.0.0.2")) {
                assertThat(again.greeting().code()).isEqualTo(220);
            }
        });
    }

    @Test
    void aFourthMessageWithinAMinuteIs451() {
        try (SmtpTestClient client = SmtpTestClient.connect(listener.port(), "127.0.0.4")) {
            client.ehlo();
            for (int i = 0; i < 3; i++) {
                assertThat(client.command("MAIL FROM:<" + SmtpTestClient.FROM + ">").code()).isEqualTo(250);
                assertThat(client.command("RSET").code()).isEqualTo(250);
            }
            Reply fourth = client.command("MAIL FROM:<" + SmtpTestClient.FROM + ">");
            assertThat(fourth.code()).isEqualTo(451);
            assertThat(fourth.text()).startsWith("451 4.7.1 too many messages from 127.0.0.4; try again in ");
        }
        try (SmtpTestClient other = SmtpTestClient.connect(listener.port(), "127.0.0.5")) {
            other.ehlo();
            assertThat(other.command("MAIL FROM:<" + SmtpTestClient.FROM + ">").code()).isEqualTo(250);
        }
    }

    @Test
    void sizeIsAdvertisedAndADeclaredSizeOverItIs552() {
        try (SmtpTestClient client = SmtpTestClient.connect(listener.port(), "127.0.0.6")) {
            assertThat(client.ehlo().advertises("SIZE " + MAX_MESSAGE)).isTrue();
            assertThat(client.command("MAIL FROM:<" + SmtpTestClient.FROM + "> SIZE=" + (MAX_MESSAGE + 1)).text())
                    .isEqualTo("552 5.3.4 Message size exceeds fixed limit");
            assertThat(client.command("MAIL FROM:<" + SmtpTestClient.FROM + "> SIZE=" + MAX_MESSAGE).code()).isEqualTo(250);
        }
    }

    @Test
    void aMessageOverTheSizeIs552EvenWithoutADeclaredSizeAndTheSessionGoesOn() {
        byte[] padding = ("X-Padding: " + "a".repeat(70) + "\r\n").repeat(MAX_MESSAGE / 80 + 10)
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tooBig = ReportMail.message().text(new String(padding, StandardCharsets.US_ASCII))
                .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("too-big")).bytes();
        assertThat(tooBig.length).isGreaterThan(MAX_MESSAGE);
        try (SmtpTestClient client = SmtpTestClient.connect(listener.port(), "127.0.0.7")) {
            client.ehlo();
            assertThat(client.send(tooBig).text()).isEqualTo("552 5.3.4 message exceeds the maximum size of 65536 bytes");
            assertThat(StubReportStore.stored()).isEmpty();
            // The whole message was read: the session answers the next one.
            Reply next = client.send(ReportMail.message()
                    .report("application/tlsrpt+json", "a.json", ReportMail.uniqueReport("fits")).bytes());
            assertThat(next.text()).matches(SmtpTestClient.STORED_ONE);
        }
    }
}
