package io.tlswatch.alert.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The one clock of a test run: alert-service reads it (through {@link TestClocks}) and so does the stub
 * report-store, so moving it moves suppression windows, leases and retry times for both.
 */
public final class TestClock extends Clock {

    public static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    public static final TestClock INSTANCE = new TestClock();

    private volatile Instant now = START;

    private TestClock() {
    }

    public static Instant now() {
        return INSTANCE.now;
    }

    public static void set(Instant instant) {
        INSTANCE.now = instant;
    }

    public static void advance(Duration duration) {
        INSTANCE.now = INSTANCE.now.plus(duration);
    }

    public static void reset() {
        INSTANCE.now = START;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
