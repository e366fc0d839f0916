package io.tlswatch.tlsrpt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** The real reports in ../shared/samples/tlsrpt, read in place: never copied, never edited. */
public final class Samples {

    private Samples() {
    }

    public static Path dir() {
        String configured = System.getProperty("tlswatch.samples");
        Path dir = configured != null ? Path.of(configured) : Path.of("../../shared/samples/tlsrpt");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("samples not found at " + dir.toAbsolutePath()
                    + " (set -Dtlswatch.samples)");
        }
        return dir;
    }

    public static byte[] read(String name) {
        try {
            return Files.readAllBytes(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names of every sample with the given suffix (".json" or ".eml"). */
    public static List<String> named(String suffix) {
        try (Stream<Path> files = Files.list(dir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
