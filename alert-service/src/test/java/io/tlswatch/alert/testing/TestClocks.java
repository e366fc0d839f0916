package io.tlswatch.alert.testing;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Replaces the application's system clock (a default bean) with the test clock. */
@ApplicationScoped
public class TestClocks {

    @Produces
    @Singleton
    Clock clock() {
        return TestClock.INSTANCE;
    }
}
