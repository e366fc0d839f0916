package io.tlswatch.ingest.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of report-ingest talks to the stub report-store. */
@QuarkusTestResource(StubReportStore.class)
public final class TestStore {

    private TestStore() {
    }
}
