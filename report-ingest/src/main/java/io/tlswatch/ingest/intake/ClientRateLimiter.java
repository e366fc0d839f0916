package io.tlswatch.ingest.intake;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client address: {@code burst} tokens, refilled at {@code perSecond}. Buckets of
 * clients that stayed away long enough to be full again are dropped, so a flood of addresses cannot
 * grow the map without bound.
 */
public final class ClientRateLimiter {

    private static final int SWEEP_EVERY = 10_000;

    private final double perSecond;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong calls = new java.util.concurrent.atomic.AtomicLong();

    private static final class Bucket {
        double tokens;
        long updatedNanos;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updatedNanos = now;
        }
    }

    public ClientRateLimiter(double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes one token for {@code client}: 0 when allowed, else the whole seconds to wait (at least 1). */
    public long tryAcquire(String client) {
        long now = System.nanoTime();
        if (calls.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(client, key -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updatedNanos) / 1e9 * perSecond);
            bucket.updatedNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / perSecond));
        }
    }

    private void sweep(long now) {
        double fullAfterNanos = burst / perSecond * 1e9;
        buckets.entrySet().removeIf(e -> now - e.getValue().updatedNanos > fullAfterNanos);
    }
}
