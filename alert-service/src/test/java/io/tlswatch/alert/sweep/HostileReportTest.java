package io.tlswatch.alert.sweep;

import static io.tlswatch.alert.sweep.SweepFixture.sweep;
import static io.tlswatch.alert.testing.Reports.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.tlswatch.alert.testing.Mails;
import io.tlswatch.alert.testing.MailServer;
import io.tlswatch.alert.testing.Reports;
import io.tlswatch.alert.testing.StubReportStore;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever a report (or a registration) says, it stays data in the alert mail: it adds no header and no
 * recipient, and no HTML. Also the root-cause hint that compares the reports with the MTA-STS policy.
 */
@QuarkusTest
class HostileReportTest {

    private static final String VICTIM = "victim@attacker.example";

    @Inject
    SweepState state;

    @BeforeEach
    void fresh() throws Exception {
        SweepFixture.fresh(state);
    }

    @Test
    void aHostileDomainOrReasonStringCannotAddAHeaderOrHtml() throws Exception {
        String domain = "evil.example\r\nBcc: " + VICTIM + "\nX-Injected: yes<script>alert(1)</script>";
        long org = StubReportStore.organisation("Org\r\nX-Org-Injected: yes <b>bold</b>", "alerts@safe.example.net",
                "alerts@safe.example.net\r\nBcc: " + VICTIM, "<" + VICTIM + ">");
        StubReportStore.domain(org, domain);
        StubReportStore.receive(domain, Reports.sts("Reporter\r\nX-Reporter: yes <img src=x onerror=alert(1)>",
                "evil.example", List.of("mx.evil.example"),
                failure("certificate-expired\r\nBcc: " + VICTIM + " <script>alert(2)</script>",
                        "mx.evil.example\"><script>alert(3)</script>", "203.0.113.9<iframe>", 5),
                failure("<a href=\"https://attacker.example\">click</a>", "mx.evil.example", "203.0.113.9", 2)));

        assertThat(sweep().getList("alerted")).hasSize(1);

        assertThat(MailServer.inbox(VICTIM)).isEmpty();
        List<MimeMessage> mails = MailServer.distinctMessages();
        assertThat(mails).hasSize(1);
        MimeMessage mail = mails.get(0);
        assertThat(Arrays.stream(mail.getAllRecipients()).map(Object::toString)).containsExactly("alerts@safe.example.net");
        assertThat(mail.getRecipients(Message.RecipientType.BCC)).isNull();
        // The strings stay inside the one header they belong to (the subject): no header of their own.
        assertThat(Mails.headers(mail)).noneMatch(h -> h.startsWith("Bcc") || h.startsWith("X-Injected")
                || h.startsWith("X-Org-Injected") || h.startsWith("X-Reporter"));
        assertThat(Mails.headers(mail)).filteredOn(h -> h.contains(VICTIM)).allMatch(h -> h.startsWith("Subject: "));
        assertThat(Mails.subject(mail)).doesNotContain("\r").doesNotContain("\n")
                .startsWith("TLS delivery failures reported for evil.example Bcc: " + VICTIM);

        String html = Mails.html(mail);
        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<iframe")
                .doesNotContain("<b>").doesNotContain("<a href=\"https://attacker")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("&lt;img src=x onerror=alert(1)&gt;")
                .contains("&lt;a href=&quot;https://attacker.example&quot;&gt;click&lt;/a&gt;");
        // The only link is to the dashboard, with the hostile name encoded into its path.
        assertThat(html.split("<a ", -1)).hasSize(2);
        assertThat(html).contains("href=\"https://tlswatch.example.net/domains/evil.example%0D%0ABcc%3A%20victim%40");
        // In the text part the strings are shown as they are, but on one line each: no CR or LF from a report.
        assertThat(Mails.text(mail)).contains("Reporter X-Reporter: yes <img src=x onerror=alert(1)>")
                .doesNotContain("\nBcc:").doesNotContain("\nX-Injected");
    }

    @Test
    void anMxThatMatchesNoneOfThePolicysMxPatternsIsNamedWithWhatToDo() throws Exception {
        long org = StubReportStore.organisation("Contoso", "alerts@contoso.onmicrosoft.com");
        StubReportStore.domain(org, "contoso.example");
        // The MX moved to a new provider; the MTA-STS policy still names the old one.
        StubReportStore.receive("contoso.example", Reports.sts("Google Inc.", "contoso.example",
                List.of("*.mail.old-provider.example"),
                failure("validation-failure", "contoso-example.mail.protection.new-provider.example", "192.0.2.25", 12),
                failure("certificate-host-mismatch", "mx1.mail.old-provider.example", "192.0.2.26", 1)));

        sweep();

        String text = Mails.text(MailServer.distinctMessages().get(0));
        assertThat(text).contains("The MX host contoso-example.mail.protection.new-provider.example matches none of "
                + "the mx: patterns of the MTA-STS policy (*.mail.old-provider.example)")
                .contains("update the policy file at https://mta-sts.contoso.example/.well-known/mta-sts.txt")
                .contains("change its id in the _mta-sts.contoso.example TXT record")
                .doesNotContain("mx1.mail.old-provider.example matches none");
    }
}
