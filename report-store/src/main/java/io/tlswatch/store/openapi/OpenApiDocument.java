package io.tlswatch.store.openapi;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Serves the OpenAPI document that the build wrote (smallrye-open-api-maven-plugin, see the pom) at
 * {@code /q/openapi} on the management interface, as Quarkus' OpenAPI extension did: YAML unless
 * {@code ?format=json} or {@code Accept: application/json} asks for JSON. The extension rebuilt and
 * re-serialised the document at every start (~0.3 s of report-store's start-up); a file costs nothing
 * until someone asks for it.
 */
@ApplicationScoped
class OpenApiDocument {

    private static final String JSON = "application/json;charset=UTF-8";
    private static final String YAML = "application/yaml;charset=UTF-8";

    @ConfigProperty(name = "quarkus.management.root-path", defaultValue = "/q")
    String managementRoot;

    void serve(@Observes ManagementInterface management) {
        management.router().get(managementRoot.replaceAll("/+$", "") + "/openapi")
                .blockingHandler(this::answer);
    }

    private void answer(RoutingContext request) {
        String format = request.queryParams().get("format");
        boolean json = format != null ? format.equalsIgnoreCase("json")
                : String.valueOf(request.request().getHeader(HttpHeaders.ACCEPT)).contains("application/json");
        request.response().putHeader(HttpHeaders.CONTENT_TYPE, json ? JSON : YAML)
                .end(Buffer.buffer(json ? Files.JSON : Files.YAML));
    }

    /** Read on the first request (class initialisation is lazy and thread-safe). */
    private static final class Files {
        static final byte[] JSON = read("openapi.json");
        static final byte[] YAML = read("openapi.yaml");

        private static byte[] read(String name) {
            String path = "META-INF/openapi/" + name;
            try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
                if (in == null) {
                    throw new IllegalStateException(path + " is missing: the build writes it (mvn process-classes)");
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
