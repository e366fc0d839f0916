package io.tlswatch.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The images and the local runs start the JVM with the same {@code -XX:} options (JIT, metaspace): they
 * are written twice, in {@code run-local/jvm.options} (run-local.sh, these tests, the benchmark) and in
 * the parent pom's {@code quarkus.jib.jvm-additional-arguments} (the images), since Jib cannot read an
 * argfile. The heap bound is local only: in a pod the heap follows the memory limit.
 */
class JvmOptionsAgreementTest {

    @Test
    void theImagesStartTheJvmWithTheOptionsOfTheLocalRuns() throws Exception {
        Path home = TlsWatchSystem.home();
        List<String> local = Files.readAllLines(home.resolve("run-local/jvm.options")).stream()
                .map(String::strip).filter(line -> line.startsWith("-XX:")).toList();
        Matcher images = Pattern.compile("<quarkus.jib.jvm-additional-arguments>([^<]*)</")
                .matcher(Files.readString(home.resolve("pom.xml")));

        assertThat(local).isNotEmpty();
        assertThat(images.find()).as("quarkus.jib.jvm-additional-arguments in the parent pom").isTrue();
        assertThat(Arrays.asList(images.group(1).strip().split(","))).isEqualTo(local);
    }
}
