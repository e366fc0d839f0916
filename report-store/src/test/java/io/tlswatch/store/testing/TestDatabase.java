package io.tlswatch.store.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Every @QuarkusTest of report-store runs against the real PostgreSQL that PostgresResource starts. */
@QuarkusTestResource(PostgresResource.class)
public final class TestDatabase {

    private TestDatabase() {
    }
}
