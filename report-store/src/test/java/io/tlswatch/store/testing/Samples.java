package io.tlswatch.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real reports in ../shared/samples/tlsrpt, read in place. */
public final class Samples {

    private Samples() {
    }

    public static byte[] read(String name) {
        String configured = System.getProperty("tlswatch.samples");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/samples/tlsrpt");
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
