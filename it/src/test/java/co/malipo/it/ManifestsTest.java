package co.malipo.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads every YAML file under deploy/k8s as written (kustomize is not needed) and checks what a
 * rollout depends on: probes, resources, pinned images, no committed secret values, admin-ui kept
 * internal and only public paths on the Ingress. Dockerfiles and the compose file are checked for
 * pinned images too.
 */
class ManifestsTest {

    /** One YAML document and the file it came from. */
    record Manifest(Path file, JsonNode body) {

        String kind() {
            return body.path("kind").asText();
        }

        String name() {
            return body.path("metadata").path("name").asText();
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " in " + file.getFileName();
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PINNED_IMAGE = Pattern.compile("[^\\s:@]+(:[0-9][A-Za-z0-9._-]*|@sha256:[0-9a-f]{64})");
    private static final Pattern SECRET_ENV_NAME = Pattern.compile(".*(PASSWORD|SECRET|API_KEY|PASSKEY|TOKEN).*");

    private static Path deploy;
    private static List<Manifest> manifests;

    @BeforeAll
    static void readManifests() throws IOException {
        deploy = Path.of(System.getProperty("malipo.deploy.dir", "../deploy")).toAbsolutePath().normalize();
        manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(deploy.resolve("k8s"))) {
            for (Path file : files.filter(path -> path.toString().endsWith(".yaml")).sorted().toList()) {
                for (JsonNode document : YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class).readAll()) {
                    if (document != null && !document.isNull()) {
                        manifests.add(new Manifest(file, document));
                    }
                }
            }
        }
        assertThat(manifests).as("YAML documents under " + deploy.resolve("k8s")).isNotEmpty();
    }

    private static List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(manifest -> manifest.kind().equals(kind)).toList();
    }

    private static JsonNode podSpec(Manifest manifest) {
        return manifest.body().path("spec").path("template").path("spec");
    }

    private static List<JsonNode> containers(Manifest manifest) {
        List<JsonNode> all = new ArrayList<>();
        podSpec(manifest).path("containers").forEach(all::add);
        podSpec(manifest).path("initContainers").forEach(all::add);
        return all;
    }

    @Test
    void deploymentsForAllThreeApps() {
        assertThat(ofKind("Deployment")).extracting(Manifest::name)
                .containsExactlyInAnyOrder("malipo-api", "malipo-ussd-channel", "malipo-admin-ui");
    }

    @Test
    void everyDeploymentContainerHasProbes() {
        for (Manifest deployment : ofKind("Deployment")) {
            JsonNode containers = podSpec(deployment).path("containers");
            assertThat(containers.size()).as("containers of " + deployment).isPositive();
            for (JsonNode container : containers) {
                String where = container.path("name").asText() + " of " + deployment;
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    assertThat(container.path(probe).path("httpGet").path("path").asText())
                            .as(probe + " path of " + where).startsWith("/q/health/");
                }
                assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                        .as("readiness of " + where + " must not include the providers group").isEqualTo("/q/health/ready");
            }
        }
    }

    @Test
    void everyContainerHasRequestsAndLimits() {
        List<Manifest> workloads = new ArrayList<>(ofKind("Deployment"));
        workloads.addAll(ofKind("Job"));
        assertThat(workloads).isNotEmpty();
        for (Manifest workload : workloads) {
            for (JsonNode container : containers(workload)) {
                String where = container.path("name").asText() + " of " + workload;
                for (String section : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(container.path("resources").path(section).path(resource).asText())
                                .as(section + "." + resource + " of " + where).isNotBlank();
                    }
                }
            }
        }
    }

    @Test
    void podsRunAsNonRoot() {
        List<Manifest> workloads = new ArrayList<>(ofKind("Deployment"));
        workloads.addAll(ofKind("Job"));
        for (Manifest workload : workloads) {
            assertThat(podSpec(workload).path("securityContext").path("runAsNonRoot").asBoolean())
                    .as("runAsNonRoot of " + workload).isTrue();
        }
    }

    @Test
    void containerImagesPinnedToVersion() {
        for (Manifest workload : manifests) {
            for (JsonNode container : containers(workload)) {
                String image = container.path("image").asText();
                assertThat(image).as("image of " + container.path("name").asText() + " in " + workload)
                        .matches(PINNED_IMAGE).doesNotEndWith(":latest");
            }
        }
    }

    @Test
    void kustomizeImageTagsPinned() {
        List<Manifest> kustomizations = ofKind("Kustomization");
        assertThat(kustomizations).hasSizeGreaterThanOrEqualTo(3);
        for (Manifest kustomization : kustomizations) {
            for (JsonNode image : kustomization.body().path("images")) {
                assertThat(image.path("newTag").asText()).as("newTag of " + image.path("name").asText() + " in "
                        + kustomization.file()).matches("[0-9][A-Za-z0-9._-]*");
            }
        }
    }

    @Test
    void kustomizationResourcesExist() {
        for (Manifest kustomization : ofKind("Kustomization")) {
            for (JsonNode resource : kustomization.body().path("resources")) {
                Path target = kustomization.file().getParent().resolve(resource.asText()).normalize();
                assertThat(Files.exists(target)).as(resource.asText() + " listed in " + kustomization.file()).isTrue();
            }
        }
    }

    @Test
    void noSecretValuesCommitted() {
        for (Manifest secret : ofKind("Secret")) {
            assertThat(secret.body().path("data").size()).as("data of " + secret).isZero();
            assertThat(secret.body().path("stringData").size()).as("stringData of " + secret).isZero();
        }
        for (Manifest manifest : manifests) {
            for (JsonNode container : containers(manifest)) {
                for (JsonNode variable : container.path("env")) {
                    String name = variable.path("name").asText();
                    if (SECRET_ENV_NAME.matcher(name).matches()) {
                        assertThat(variable.has("value")).as(name + " in " + manifest + " must come from a Secret")
                                .isFalse();
                    }
                }
            }
        }
        for (Manifest configMap : ofKind("ConfigMap")) {
            configMap.body().path("data").fieldNames().forEachRemaining(key -> assertThat(key)
                    .as("key of " + configMap).doesNotMatch(SECRET_ENV_NAME));
        }
    }

    @Test
    void appsReadSecretsFromOperatorSecret() {
        for (Manifest deployment : ofKind("Deployment")) {
            for (JsonNode container : podSpec(deployment).path("containers")) {
                List<String> secretRefs = new ArrayList<>();
                container.path("envFrom").forEach(source -> secretRefs.add(source.path("secretRef").path("name").asText()));
                assertThat(secretRefs).as("envFrom of " + deployment).contains("malipo-secrets");
            }
        }
    }

    @Test
    void secretExampleHasNoValues() throws IOException {
        List<String> lines = Files.readAllLines(deploy.resolve("k8s/malipo-secrets.env.example"));
        List<String> keys = lines.stream().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(keys).isNotEmpty();
        for (String line : keys) {
            assertThat(line).as("line of malipo-secrets.env.example").matches("[A-Z_]+=");
        }
    }

    @Test
    void adminUiNetworkPolicyPresent() {
        List<Manifest> policies = ofKind("NetworkPolicy").stream()
                .filter(policy -> "malipo-admin-ui".equals(policy.body().path("spec").path("podSelector")
                        .path("matchLabels").path("app.kubernetes.io/name").asText()))
                .toList();
        assertThat(policies).as("NetworkPolicy selecting malipo-admin-ui").hasSize(1);
        JsonNode spec = policies.get(0).body().path("spec");
        assertThat(spec.path("policyTypes").toString()).contains("Ingress");
        assertThat(spec.path("ingress").size()).isPositive();
        for (JsonNode rule : spec.path("ingress")) {
            // A rule without "from" admits every source, which would make the policy pointless.
            assertThat(rule.path("from").size()).as("sources of an ingress rule").isPositive();
        }
    }

    @Test
    void ingressExposesOnlyPublicPaths() {
        List<Manifest> ingresses = ofKind("Ingress");
        assertThat(ingresses).isNotEmpty();
        List<String> paths = new ArrayList<>();
        for (Manifest ingress : ingresses) {
            for (JsonNode rule : ingress.body().path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    String value = path.path("path").asText();
                    String service = path.path("backend").path("service").path("name").asText();
                    paths.add(value);
                    assertThat(value).as("path of " + ingress).doesNotStartWith("/q").doesNotStartWith("/admin")
                            .doesNotStartWith("/simulator").doesNotStartWith("/phone").isNotEqualTo("/");
                    assertThat(service).as("backend of " + value).isIn("malipo-api", "malipo-ussd-channel");
                }
            }
        }
        assertThat(paths).contains("/api/v1/", "/daraja/callback/", "/ussd/", "/sms/inbound/", "/sms/delivery/");
    }

    @Test
    void apiHasAutoscalerAndDisruptionBudgets() {
        assertThat(ofKind("HorizontalPodAutoscaler")).extracting(manifest -> manifest.body().path("spec")
                .path("scaleTargetRef").path("name").asText()).contains("malipo-api");
        assertThat(ofKind("PodDisruptionBudget")).extracting(Manifest::name)
                .containsExactlyInAnyOrder("malipo-api", "malipo-ussd-channel", "malipo-admin-ui");
        assertThat(ofKind("Service")).extracting(Manifest::name)
                .containsExactlyInAnyOrder("malipo-api", "malipo-ussd-channel", "malipo-admin-ui");
    }

    @Test
    void appPodsNeverMigrate() {
        JsonNode config = ofKind("ConfigMap").stream().filter(map -> map.name().equals("malipo-config")).findFirst()
                .map(Manifest::body).orElse(MissingNode.getInstance());
        assertThat(config.path("data").path("QUARKUS_FLYWAY_MIGRATE_AT_START").asText()).isEqualTo("false");
        List<Manifest> jobs = ofKind("Job");
        assertThat(jobs).extracting(Manifest::name).containsExactly("malipo-migrate");
        List<String> jobEnv = new ArrayList<>();
        podSpec(jobs.get(0)).path("containers").get(0).path("env")
                .forEach(variable -> jobEnv.add(variable.path("name").asText() + "=" + variable.path("value").asText()));
        assertThat(jobEnv).contains("QUARKUS_INIT_AND_EXIT=true", "QUARKUS_FLYWAY_MIGRATE_AT_START=true");
    }

    @Test
    void dockerAndComposeImagesPinned() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(deploy)) {
            files = walk.filter(path -> path.getFileName().toString().startsWith("Dockerfile")
                    || path.getFileName().toString().equals("docker-compose.yml")).sorted().toList();
        }
        assertThat(files).hasSize(7);
        Pattern reference = Pattern.compile("^\\s*(?:FROM\\s+(\\S+)|image:\\s*(\\S+))", Pattern.MULTILINE);
        for (Path file : files) {
            String text = read(file);
            Matcher matcher = reference.matcher(text);
            int images = 0;
            while (matcher.find()) {
                String image = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
                if (file.getFileName().toString().startsWith("Dockerfile") && !image.contains("/")) {
                    continue; // FROM a build stage by its name
                }
                images++;
                assertThat(image).as("image in " + deploy.relativize(file)).matches(PINNED_IMAGE)
                        .doesNotEndWith(":latest");
            }
            assertThat(images).as("images in " + deploy.relativize(file)).isPositive();
        }
    }

    @Test
    void runtimeImagesRunAsNonRoot() throws IOException {
        try (Stream<Path> walk = Files.walk(deploy.resolve("docker"))) {
            for (Path file : walk.filter(path -> path.getFileName().toString().startsWith("Dockerfile")).toList()) {
                List<String> lines = read(file).lines().map(String::strip).toList();
                String lastUser = lines.stream().filter(line -> line.toUpperCase(Locale.ROOT).startsWith("USER "))
                        .reduce((first, second) -> second).orElse("USER root");
                assertThat(lastUser).as("last USER in " + deploy.relativize(file)).isNotEqualTo("USER root")
                        .isNotEqualTo("USER 0");
            }
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
