package io.tlswatch.alert.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of alert-service talks to the stub report-store and mails through GreenMail. */
@QuarkusTestResource(StubReportStore.class)
@QuarkusTestResource(MailServer.class)
public final class TestResources {

    private TestResources() {
    }
}
