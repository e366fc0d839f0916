package io.tlswatch.store.alert;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A profile of its own, so Quarkus restarts and PostgresResource hands out a new, empty database: for
 * tests that submit a shared sample as it is, which another test class may already have stored (a
 * duplicate is not attributed again).
 */
public class FreshDatabase implements QuarkusTestProfile {
}
