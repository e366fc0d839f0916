package io.tlswatch.system;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.List;

/** What the end-to-end tests share. */
final class SystemTests {

    /**
     * Small heaps and a quick JIT: three services, PostgreSQL and the build share a loaded two-core
     * machine, and these tests are about behaviour, not speed.
     */
    static final List<String> SERVICE_JVM_ARGS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private SystemTests() {
    }

    /** Distinct messages (by Message-ID) whose subject names the domain. */
    static List<MimeMessage> subjectsMentioning(MailServer mail, String domain) {
        List<MimeMessage> found = new ArrayList<>();
        for (MimeMessage message : mail.distinctMessages()) {
            try {
                if (message.getSubject() != null && message.getSubject().contains(domain)) {
                    found.add(message);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return found;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
