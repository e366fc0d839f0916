package io.tlswatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The chart and the services agree. The chart is rendered with {@code helm template} (default values,
 * plus a mail host and a STARTTLS certificate Secret); each Deployment's container env is resolved as
 * a kubelet would (env, envFrom ConfigMaps, secretKeyRef) and given to that service's packaged jar
 * ({@code <service>/target/quarkus-app/quarkus-run.jar}) and nothing else. Only what a pod has and
 * a test machine does not is replaced: every container port by a free local port (the same mapping
 * for the env and the probes), Service addresses by those ports, the PostgreSQL Service by an
 * embedded PostgreSQL set up from the StatefulSet's own env, each Secret value by a test value, and
 * the mounted certificate Secret by a generated certificate. Then every probe must answer 200 on the
 * port the chart names, which only happens when the ports, the tokens, the database and the report-store
 * URL the chart wires all agree with what the services read.
 */
class ChartAgreementIT {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);
    private static final String SMTP_TLS_SECRET = "tlswatch-smtp-tls";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Path root;
    private static Path work;
    private static RenderedChart chart;
    private static EmbeddedPostgres postgres;
    /** Each pod's container port mapped to a local one, per Deployment name. */
    private static final Map<String, Map<Integer, Integer>> localPorts = new HashMap<>();
    /** "service-name:port" (and its longer DNS forms) to a local address. */
    private static final Map<String, String> addresses = new LinkedHashMap<>();
    private static final Map<String, Process> processes = new LinkedHashMap<>();

    @BeforeAll
    static void startEachServiceAsItsDeploymentDescribesIt() throws Exception {
        root = Path.of(System.getProperty("tlswatch.root", "..")).toAbsolutePath().normalize();
        chart = RenderedChart.render(root, "alert.mail.host=127.0.0.1",
                "ingest.smtp.tls.existingSecret=" + SMTP_TLS_SECRET);
        work = Files.createDirectories(root.resolve("helm/target/chart-agreement"));

        for (JsonNode deployment : chart.all("Deployment")) {
            Map<Integer, Integer> ports = new HashMap<>();
            for (JsonNode port : container(deployment).path("ports")) {
                ports.put(port.path("containerPort").asInt(), freePort());
            }
            localPorts.put(name(deployment), ports);
        }
        postgres = startPostgresWithTheStatefulSetsSettings();
        createTheDatabaseAsTheStatefulSetDoes();
        mapServiceAddresses();

        // report-store first: the other two are ready only when it answers.
        start(deployment("store"));
        awaitOk(deployment("store"), "readinessProbe");
        start(deployment("ingest"));
        start(deployment("alert"));
    }

    @AfterAll
    static void stopEverything() throws Exception {
        for (Process process : processes.values()) {
            process.destroy();
        }
        for (Process process : processes.values()) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgresqlRunsWithTheSettingsTheStatefulSetPasses() throws Exception {
        Map<String, String> settings = postgresSettings();
        assertThat(settings).containsKey("shared_buffers");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                PreparedStatement query = connection.prepareStatement("select current_setting(?)")) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                query.setString(1, setting.getKey());
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    assertThat(row.getString(1)).as(setting.getKey()).isEqualTo(setting.getValue());
                }
            }
        }
    }

    @Test
    void everyServiceTargetsAPortThatItsPodsDeclare() {
        assertThat(chart.all("Service")).hasSizeGreaterThanOrEqualTo(5);
        for (JsonNode service : chart.all("Service")) {
            JsonNode pod = podSelectedBy(service);
            for (JsonNode port : service.path("spec").path("ports")) {
                String target = port.path("targetPort").asText();
                assertThat(containerPorts(pod)).as("Service %s port %s targets %s", name(service), port.path("port"), target)
                        .containsKey(target);
            }
        }
    }

    @Test
    void eachProbeAnswersOkOnTheManagementPortTheChartNames() throws Exception {
        assertThat(chart.all("Deployment")).extracting(ChartAgreementIT::name)
                .containsExactlyInAnyOrder("tlswatch-ingest", "tlswatch-store", "tlswatch-alert");
        for (JsonNode deployment : chart.all("Deployment")) {
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode httpGet = container(deployment).path(probe).path("httpGet");
                assertThat(httpGet.path("port").asText()).as("%s %s port", name(deployment), probe).isEqualTo("management");
                assertThat(containerPorts(deployment.path("spec").path("template")).get("management")).isEqualTo(9000);
                awaitOk(deployment, probe);
            }
        }
    }

    @Test
    void theProbePathsAreTheContractsHealthEndpoints() {
        for (JsonNode deployment : chart.all("Deployment")) {
            JsonNode container = container(deployment);
            assertThat(container.path("startupProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/started");
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        }
    }

    @Test
    void healthIsNotServedOnTheHttpPortTheIngressReaches() throws Exception {
        for (JsonNode deployment : chart.all("Deployment")) {
            awaitOk(deployment, "readinessProbe");
            int http = localPort(deployment, "http");
            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + http + "/q/health/live"));
            assertThat(response.statusCode()).as("%s: /q/health/live on the http port", name(deployment)).isEqualTo(404);
        }
    }

    @Test
    void ingestTakesMailOnThePortTheSmtpServiceTargetsAndOffersStartTls() throws Exception {
        JsonNode smtpService = chart.one("Service", "tlswatch-smtp");
        JsonNode port = smtpService.path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(25);
        assertThat(smtpService.path("spec").path("externalTrafficPolicy").asText()).isEqualTo("Local");
        JsonNode ingest = deployment("ingest");
        awaitOk(ingest, "startupProbe");
        int local = localPorts.get(name(ingest)).get(containerPorts(ingest.path("spec").path("template"))
                .get(port.path("targetPort").asText()));

        try (Socket socket = new Socket("127.0.0.1", local)) {
            socket.setSoTimeout(30_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO agreement.test\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            List<String> ehlo = new ArrayList<>();
            String line;
            do {
                line = in.readLine();
                ehlo.add(line);
            } while (line != null && line.startsWith("250-"));
            assertThat(ehlo).as("EHLO with the certificate from %s mounted", SMTP_TLS_SECRET).anyMatch(l -> l.contains("STARTTLS"));
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    @Test
    void theChartAgreesWithTheManifestQuarkusGenerates() throws Exception {
        for (JsonNode deployment : chart.all("Deployment")) {
            JsonNode container = container(deployment);
            String service = container.path("name").asText();
            JsonNode generated = generatedDeployment(service);
            JsonNode generatedContainer = container(generated);
            Map<String, Integer> ports = containerPorts(deployment.path("spec").path("template"));

            assertThat(containerPorts(generated.path("spec").path("template"))).as("%s ports", service).isEqualTo(ports);
            assertThat(container.path("image").asText()).as("%s image", service).isEqualTo(generatedContainer.path("image").asText());
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode ours = container.path(probe).path("httpGet");
                JsonNode theirs = generatedContainer.path(probe).path("httpGet");
                assertThat(ours.path("path").asText()).as("%s %s path", service, probe).isEqualTo(theirs.path("path").asText());
                assertThat(ports.get(ours.path("port").asText())).as("%s %s port", service, probe).isEqualTo(theirs.path("port").asInt());
            }
            Map<String, String> env = podEnvNames(deployment);
            for (JsonNode var : generatedContainer.path("env")) {
                if (var.has("value")) {
                    assertThat(env).as("%s env", service).containsEntry(var.path("name").asText(), var.path("value").asText());
                }
            }
        }
    }

    @Test
    void onlyReportStoreIsGivenTheDatabase() {
        for (JsonNode deployment : chart.all("Deployment")) {
            Map<String, String> env = podEnvNames(deployment);
            if (name(deployment).equals("tlswatch-store")) {
                assertThat(env).containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL",
                        "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
            } else {
                assertThat(env.keySet()).as("%s env", name(deployment)).noneMatch(k -> k.startsWith("QUARKUS_DATASOURCE_"));
            }
        }
    }

    // --- starting a service as its pod would run

    private static void start(JsonNode deployment) throws IOException {
        JsonNode container = container(deployment);
        String service = container.path("name").asText();
        Path jar = root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged %s (./mvnw package builds it before this module)", service).exists();

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        env.clear(); // the chart's env and nothing of this machine's (no stray QUARKUS_* or TLSWATCH_*)
        env.put("PATH", path);
        env.putAll(podEnv(deployment));
        Path directory = Files.createDirectories(work.resolve(service));
        Path log = work.resolve(service + ".log");
        builder.directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        processes.put(name(deployment), builder.start());
    }

    /** The container's environment as the kubelet builds it, with what only a cluster has replaced. */
    private static Map<String, String> podEnv(JsonNode deployment) throws IOException {
        JsonNode container = container(deployment);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            JsonNode configMap = chart.one("ConfigMap", from.path("configMapRef").path("name").asText());
            configMap.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode var : container.path("env")) {
            env.put(var.path("name").asText(), value(var));
        }
        Map<String, String> mounts = mountedSecrets(deployment);
        Map<Integer, Integer> ports = localPorts.get(name(deployment));
        env.replaceAll((key, value) -> {
            if (value.matches("\\d+") && ports.containsKey(Integer.parseInt(value))) {
                return String.valueOf(ports.get(Integer.parseInt(value)));
            }
            for (Map.Entry<String, String> address : addresses.entrySet()) {
                value = value.replace(address.getKey(), address.getValue());
            }
            for (Map.Entry<String, String> mount : mounts.entrySet()) {
                if (value.startsWith(mount.getKey() + "/")) {
                    value = mount.getValue() + value.substring(mount.getKey().length());
                }
            }
            return value;
        });
        return env;
    }

    private static String value(JsonNode var) {
        if (var.has("value")) {
            return var.path("value").asText();
        }
        JsonNode secret = var.path("valueFrom").path("secretKeyRef");
        assertThat(secret.isMissingNode()).as("env %s: only values and secretKeyRef are expected", var.path("name")).isFalse();
        return secretValue(secret.path("name").asText(), secret.path("key").asText());
    }

    /** Every Secret value the chart references becomes a test value; the same reference, the same value. */
    private static String secretValue(String secret, String key) {
        return "test-" + secret + "-" + key;
    }

    /** Mounted Secrets to local directories with the files a pod would see. */
    private static Map<String, String> mountedSecrets(JsonNode deployment) throws IOException {
        Map<String, String> mounts = new HashMap<>();
        JsonNode volumes = deployment.path("spec").path("template").path("spec").path("volumes");
        for (JsonNode mount : container(deployment).path("volumeMounts")) {
            for (JsonNode volume : volumes) {
                if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("secret")) {
                    String secret = volume.path("secret").path("secretName").asText();
                    assertThat(secret).as("the only Secret mounted is the STARTTLS certificate").isEqualTo(SMTP_TLS_SECRET);
                    mounts.put(mount.path("mountPath").asText(), tlsSecretFiles().toString());
                }
            }
        }
        return mounts;
    }

    /** A kubernetes.io/tls Secret's files (tls.crt, tls.key, PEM), for a certificate keytool makes. */
    private static Path tlsSecretFiles() throws IOException {
        Path dir = work.resolve("smtp-tls");
        if (Files.exists(dir.resolve("tls.key"))) {
            return dir;
        }
        Files.createDirectories(dir);
        Path store = dir.resolve("smtp.p12");
        Files.deleteIfExists(store);
        char[] password = "agreement".toCharArray();
        try {
            Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                    "-genkeypair", "-alias", "smtp", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                    "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                    "-storepass", new String(password), "-keypass", new String(password))
                    .redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(keytool.waitFor(2, TimeUnit.MINUTES) && keytool.exitValue() == 0).as(output).isTrue();
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keyStore.load(in, password);
            }
            Certificate certificate = keyStore.getCertificate("smtp");
            Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", certificate.getEncoded()));
            Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", keyStore.getKey("smtp", password).getEncoded()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return dir;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** An embedded PostgreSQL with the server settings of the StatefulSet's container args. */
    private static EmbeddedPostgres startPostgresWithTheStatefulSetsSettings() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        postgresSettings().forEach(builder::setServerConfig);
        return builder.start();
    }

    /** The StatefulSet's container args, which must be {@code -c name=value} pairs. */
    private static Map<String, String> postgresSettings() {
        List<String> args = new ArrayList<>();
        container(chart.one("StatefulSet", "tlswatch-postgresql")).path("args").forEach(arg -> args.add(arg.asText()));
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String[] setting = i + 1 < args.size() && args.get(i).equals("-c") ? args.get(i + 1).split("=", 2) : null;
            if (setting == null || setting.length != 2) {
                throw new IllegalStateException("PostgreSQL's args are not -c name=value pairs: " + args);
            }
            settings.put(setting[0], setting[1]);
        }
        return settings;
    }

    /** The role and database the official image's entrypoint creates from POSTGRES_USER, _DB, _PASSWORD. */
    private static void createTheDatabaseAsTheStatefulSetDoes() throws Exception {
        JsonNode statefulSet = chart.one("StatefulSet", "tlswatch-postgresql");
        Map<String, String> env = new HashMap<>();
        for (JsonNode var : container(statefulSet).path("env")) {
            env.put(var.path("name").asText(), value(var));
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement sql = connection.createStatement()) {
            sql.execute("create role \"" + env.get("POSTGRES_USER") + "\" login password '" + env.get("POSTGRES_PASSWORD") + "'");
            sql.execute("create database \"" + env.get("POSTGRES_DB") + "\" owner \"" + env.get("POSTGRES_USER") + "\"");
        }
    }

    /** Each Service's name and port, as the pods would resolve it, to the local port of the pod it targets. */
    private static void mapServiceAddresses() {
        for (JsonNode service : chart.all("Service")) {
            String name = name(service);
            for (JsonNode port : service.path("spec").path("ports")) {
                String local;
                if (name.equals("tlswatch-postgresql")) {
                    local = "localhost:" + postgres.getPort();
                } else {
                    JsonNode deployment = deploymentSelectedBy(service);
                    local = "127.0.0.1:" + localPort(deployment, port.path("targetPort").asText());
                }
                int servicePort = port.path("port").asInt();
                for (String host : List.of(name + ".tlswatch.svc.cluster.local", name + ".tlswatch.svc", name + ".tlswatch", name)) {
                    addresses.put(host + ":" + servicePort, local);
                }
            }
        }
    }

    /** The Deployment that quarkus-kubernetes wrote to target/kubernetes when the service was packaged. */
    private static JsonNode generatedDeployment(String service) throws IOException {
        Path manifest = root.resolve(service).resolve("target/kubernetes/kubernetes.yml");
        assertThat(manifest).as("quarkus-kubernetes' manifest of %s", service).exists();
        try (MappingIterator<JsonNode> documents = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(manifest.toFile())) {
            while (documents.hasNext()) {
                JsonNode object = documents.next();
                if ("Deployment".equals(object.path("kind").asText())) {
                    return object;
                }
            }
        }
        throw new AssertionError(manifest + " has no Deployment");
    }

    /** The container's env as rendered, before anything is replaced for this machine. */
    private static Map<String, String> podEnvNames(JsonNode deployment) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode from : container(deployment).path("envFrom")) {
            chart.one("ConfigMap", from.path("configMapRef").path("name").asText()).path("data").fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        for (JsonNode var : container(deployment).path("env")) {
            env.put(var.path("name").asText(), var.has("value") ? var.path("value").asText() : "(secret)");
        }
        return env;
    }

    // --- waiting and asking

    private static void awaitOk(JsonNode deployment, String probe) throws Exception {
        JsonNode httpGet = container(deployment).path(probe).path("httpGet");
        URI uri = URI.create("http://127.0.0.1:" + localPort(deployment, httpGet.path("port").asText())
                + httpGet.path("path").asText());
        Process process = processes.get(name(deployment));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name(deployment) + " exited (" + process.exitValue() + ") before " + uri
                        + " answered 200:\n" + logTail(deployment));
            }
            try {
                HttpResponse<String> response = get(uri);
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(name(deployment) + " " + probe + " " + uri + " did not answer 200 within "
                + START_TIMEOUT + "; last: " + last + "\n" + logTail(deployment));
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String logTail(JsonNode deployment) {
        try {
            List<String> lines = Files.readAllLines(work.resolve(container(deployment).path("name").asText() + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    // --- reading the rendered objects

    private static JsonNode deployment(String component) {
        return chart.one("Deployment", "tlswatch-" + component);
    }

    private static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    private static JsonNode container(JsonNode workload) {
        JsonNode containers = workload.path("spec").path("template").path("spec").path("containers");
        assertThat(containers.size()).as("%s has one container", name(workload)).isEqualTo(1);
        return containers.get(0);
    }

    /** Container port numbers by name, of a pod template. */
    private static Map<String, Integer> containerPorts(JsonNode podTemplate) {
        Map<String, Integer> ports = new HashMap<>();
        for (JsonNode port : podTemplate.path("spec").path("containers").get(0).path("ports")) {
            ports.put(port.path("name").asText(), port.path("containerPort").asInt());
        }
        return ports;
    }

    private static int localPort(JsonNode deployment, String portName) {
        Integer containerPort = containerPorts(deployment.path("spec").path("template")).get(portName);
        assertThat(containerPort).as("%s declares a port named %s", name(deployment), portName).isNotNull();
        return localPorts.get(name(deployment)).get(containerPort);
    }

    private static JsonNode podSelectedBy(JsonNode service) {
        for (String kind : List.of("Deployment", "StatefulSet")) {
            for (JsonNode workload : chart.all(kind)) {
                if (selects(service, workload)) {
                    return workload.path("spec").path("template");
                }
            }
        }
        throw new AssertionError("Service " + name(service) + " selects no pod of the chart");
    }

    private static JsonNode deploymentSelectedBy(JsonNode service) {
        return chart.all("Deployment").stream().filter(d -> selects(service, d)).findFirst()
                .orElseThrow(() -> new AssertionError("Service " + name(service) + " selects no Deployment"));
    }

    private static boolean selects(JsonNode service, JsonNode workload) {
        JsonNode labels = workload.path("spec").path("template").path("metadata").path("labels");
        var selector = service.path("spec").path("selector").fields();
        boolean any = false;
        while (selector.hasNext()) {
            var entry = selector.next();
            any = true;
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText())) {
                return false;
            }
        }
        return any;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
