package dev.tollgate.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.BudgetPeriod;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.Enforcement;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ModelPrice;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotBuilderTest {
    private static final String OPENAI_KEY = "sk-test-0123456789abcdef";

    private final List<ProviderSecret> providers = new ArrayList<>();
    private final List<AIRoute> routes = new ArrayList<>();
    private final List<SpendKey> spendKeys = new ArrayList<>();
    private final List<Secret> secrets = new ArrayList<>();

    @Test
    void translatesProvidersRoutesAndPricesIntoTheSidecarModel() {
        add("""
                apiVersion: v1
                kind: Secret
                metadata: {name: openai-credentials, namespace: team-a}
                data: {api-key: %s}
                """.formatted(base64(OPENAI_KEY + "\n")));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: openai, namespace: team-a}
                spec:
                  provider: openai
                  secretRef: {name: openai-credentials, key: api-key}
                  headers: {OpenAI-Organization: org-1}
                """);
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: mock, namespace: team-a}
                spec:
                  provider: mock
                  mock: {latency: 20ms, chunkDelay: 10ms, tokensPerChunk: 2, failStatus: 503, cutAfterChunks: 5, reply: hi}
                """);
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: team-a}
                spec:
                  models: [chat, gpt-4o*]
                  workloadSelector: {matchLabels: {app: support-bot}}
                  backends:
                  - providerRef: {name: openai}
                    model: gpt-4o-mini
                    weight: 90
                  - providerRef: {name: mock, namespace: team-a}
                    priority: 1
                  retry: {attempts: 2, on: [server-error], backoff: 250ms}
                  timeouts: {request: 1m30s, firstToken: 5s}
                  circuitBreaker: {consecutiveFailures: 3, cooldown: 10s}
                  requireSpendKey: true
                  pricing:
                  - {model: gpt-4o-mini, input: "0.15", cachedInput: "0.075", output: "0.60"}
                """);
        ModelPrice platformPrice = new ModelPrice("in-house-llm", 1_000_000, null, null, 2_000_000, null);

        Snapshot snapshot = build("team-a", Map.of(), List.of(platformPrice));

        assertThat(snapshot.problems()).isEmpty();
        GatewayConfig config = snapshot.config();
        assertThat(config.version()).isEqualTo("v7");
        assertThat(config.providers()).extracting(ProviderConfig::id).containsExactly("team-a/mock", "team-a/openai");
        ProviderConfig openai = config.providers().get(1);
        assertThat(openai.type()).isEqualTo("openai");
        assertThat(openai.apiKey()).isEqualTo(OPENAI_KEY);
        assertThat(openai.headers()).containsEntry("OpenAI-Organization", "org-1");
        var mock = config.providers().get(0).mock();
        assertThat(List.of(mock.latencyMs(), mock.chunkDelayMs())).containsExactly(20L, 10L);
        assertThat(mock.tokensPerChunk()).isEqualTo(2);
        assertThat(mock.failStatus()).isEqualTo(503);
        assertThat(mock.cutAfterChunks()).isEqualTo(5);
        assertThat(mock.reply()).isEqualTo("hi");

        RouteConfig route = config.routes().get(0);
        assertThat(route.name()).isEqualTo("team-a/chat");
        assertThat(route.models()).containsExactly("chat", "gpt-4o*");
        assertThat(route.workloadSelector()).isEqualTo(Map.of("app", "support-bot"));
        assertThat(route.backends()).containsExactly(
                new BackendConfig("team-a/openai", "gpt-4o-mini", 90, 0),
                new BackendConfig("team-a/mock", null, 1, 1));
        assertThat(route.retry().attempts()).isEqualTo(2);
        assertThat(route.retry().on()).containsExactly("server-error");
        assertThat(route.retry().backoffMs()).isEqualTo(250);
        assertThat(route.timeouts().requestMs()).isEqualTo(90_000);
        assertThat(route.timeouts().firstTokenMs()).isEqualTo(5_000);
        assertThat(route.circuitBreaker().consecutiveFailures()).isEqualTo(3);
        assertThat(route.circuitBreaker().cooldownMs()).isEqualTo(10_000);
        assertThat(route.requireSpendKey()).isTrue();
        assertThat(route.pricing()).containsExactly(new ModelPrice("gpt-4o-mini", 150_000, 75_000L, null, 600_000, null));
        assertThat(config.prices()).containsExactly(platformPrice);
        // The snapshot survives the wire format the sidecar reads.
        assertThat(ConfigJson.read(ConfigJson.write(config))).isEqualTo(config);
    }

    @Test
    void absentSettingsTakeTheSidecarDefaults() {
        add(mockProvider("default", "mock"));
        add(route("default", "chat", null, "[chat]", "mock"));

        RouteConfig route = build("default").config().routes().get(0);

        assertThat(route.retry().attempts()).isEqualTo(3);
        assertThat(route.retry().backoffMs()).isEqualTo(100);
        assertThat(route.timeouts().requestMs()).isEqualTo(600_000);
        assertThat(route.circuitBreaker().cooldownMs()).isEqualTo(30_000);
        assertThat(route.backends().get(0)).isEqualTo(new BackendConfig("default/mock", null, 1, 0));
    }

    @Test
    void aMissingSecretLeavesItsProviderOutAndTheRoutesSayWhy() {
        add(openAiProvider("default", "openai", "openai-credentials"));
        add(mockProvider("default", "mock"));
        add(route("default", "both", null, "[chat]", "openai", "mock"));
        add(route("default", "only-openai", null, "[gpt-4o]", "openai"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().providers()).extracting(ProviderConfig::id).containsExactly("default/mock");
        assertThat(snapshot.config().routes()).extracting(RouteConfig::name).containsExactly("default/both");
        assertThat(snapshot.config().routes().get(0).backends()).extracting(BackendConfig::provider)
                .containsExactly("default/mock");
        assertThat(snapshot.problemsOf("ProviderSecret", "default/openai")).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("SecretMissing"))
                .satisfies(p -> assertThat(p.message()).isEqualTo("Secret default/openai-credentials not found"));
        assertThat(snapshot.problemsOf("AIRoute", "default/both")).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("ProviderNotReady"))
                .satisfies(p -> assertThat(p.message()).isEqualTo("backend 0 left out: ProviderSecret default/openai"
                        + " is not ready: Secret default/openai-credentials not found"));
        assertThat(snapshot.problemsOf("AIRoute", "default/only-openai")).extracting(Problem::reason)
                .containsExactly("ProviderNotReady", "NoUsableBackend");
    }

    @Test
    void aSecretWithoutTheKeyIsReportedAsKeyMissing() {
        add(secret("default", "openai-credentials", Map.of("other", "x")));
        add(openAiProvider("default", "openai", "openai-credentials"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.problemsOf("ProviderSecret", "default/openai")).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("KeyMissing"))
                .satisfies(p -> assertThat(p.message()).isEqualTo("Secret default/openai-credentials has no key 'api-key'"));
    }

    @Test
    void aRouteReferringToAnUnknownProviderIsReported() {
        add(route("default", "chat", null, "[chat]", "nope"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().routes()).isEmpty();
        assertThat(snapshot.problemsOf("AIRoute", "default/chat")).extracting(Problem::reason, Problem::message)
                .first().isEqualTo(tuple("RefNotFound",
                        "backend 0 left out: ProviderSecret default/nope not found"));
    }

    @Test
    void providersOfOtherNamespacesServeOnlyTheNamespacesTheyAllow() {
        sharedOpenAi("""
                allowedNamespaces: [team-a]
                namespaceSelector: {matchLabels: {tier: gold}}
                """);
        for (String ns : List.of("team-b", "team-c")) {
            add("""
                    apiVersion: tollgate.dev/v1alpha1
                    kind: AIRoute
                    metadata: {name: chat, namespace: %s}
                    spec:
                      models: [chat]
                      backends: [{providerRef: {name: openai, namespace: ai-platform}}]
                    """.formatted(ns));
        }

        Snapshot teamA = build("team-a");
        Snapshot teamB = build("team-b");
        Snapshot teamC = build("team-c", Map.of("tier", "gold"), List.of());

        assertThat(teamA.config().providers()).extracting(ProviderConfig::id).containsExactly("ai-platform/openai");
        assertThat(teamA.config().routes()).extracting(RouteConfig::name).containsExactly("team-a/chat");
        assertThat(teamC.config().providers()).extracting(ProviderConfig::apiKey).containsExactly(OPENAI_KEY);
        assertThat(teamB.config().providers()).isEmpty();
        assertThat(teamB.config().routes()).isEmpty();
        assertThat(teamB.problemsOf("AIRoute", "team-b/chat")).extracting(Problem::reason)
                .containsExactly("RefNotPermitted", "NoUsableBackend");
        assertThat(teamB.problems().get(0).message()).contains("does not allow namespace team-b");
        assertThat(ConfigJson.write(teamB.config())).asString().doesNotContain(OPENAI_KEY);
    }

    @Test
    void anEmptyNamespaceSelectorAllowsNoOtherNamespace() {
        sharedOpenAi("namespaceSelector: {}");

        Snapshot teamA = build("team-a", Map.of("tier", "gold"), List.of());

        assertThat(teamA.config().providers()).isEmpty();
        assertThat(teamA.problemsOf("AIRoute", "team-a/chat")).extracting(Problem::reason)
                .containsExactly("RefNotPermitted", "NoUsableBackend");
        assertThat(ConfigJson.write(teamA.config())).asString().doesNotContain(OPENAI_KEY);
    }

    @Test
    void namespaceSelectorExpressionsAllowAndRefuseAsInKubernetes() {
        sharedOpenAi("""
                namespaceSelector:
                    matchLabels: {env: prod}
                    matchExpressions:
                    - {key: tier, operator: In, values: [gold, silver]}
                    - {key: quarantined, operator: NotIn, values: ["true"]}
                    - {key: team, operator: Exists}
                    - {key: legacy, operator: DoesNotExist}
                """);
        Map<String, String> allowed = Map.of("env", "prod", "tier", "silver", "team", "a");

        assertThat(keysFor(allowed)).as("all requirements hold; NotIn holds without the label").containsExactly(OPENAI_KEY);
        assertThat(keysFor(with(allowed, "quarantined", "false"))).containsExactly(OPENAI_KEY);
        assertThat(keysFor(with(allowed, "tier", "bronze"))).as("In: value not listed").isEmpty();
        assertThat(keysFor(without(allowed, "tier"))).as("In: label absent").isEmpty();
        assertThat(keysFor(with(allowed, "quarantined", "true"))).as("NotIn: value listed").isEmpty();
        assertThat(keysFor(without(allowed, "team"))).as("Exists: label absent").isEmpty();
        assertThat(keysFor(with(allowed, "legacy", ""))).as("DoesNotExist: label present").isEmpty();
        assertThat(keysFor(with(allowed, "env", "dev"))).as("matchLabels still apply").isEmpty();
    }

    @Test
    void aSelectorRequirementKubernetesWouldRefuseMatchesNothing() {
        sharedOpenAi("""
                namespaceSelector:
                    matchExpressions: [{key: tier, operator: NotIn}]
                """);

        assertThat(keysFor(Map.of("tier", "gold"))).isEmpty();
        assertThat(keysFor(Map.of())).isEmpty();
    }

    @Test
    void aWorkloadSelectorWithExpressionsIsRefusedRatherThanWidened() {
        add(mockProvider("default", "mock"));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: default}
                spec:
                  models: [chat]
                  workloadSelector: {matchExpressions: [{key: app, operator: In, values: [bot]}]}
                  backends: [{providerRef: {name: mock}}]
                """);

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().routes()).isEmpty();
        assertThat(snapshot.problemsOf("AIRoute", "default/chat")).extracting(Problem::reason, Problem::message)
                .containsExactly(tuple("Invalid", "spec.workloadSelector supports matchLabels only"));
    }

    /** An OpenAI provider in ai-platform with the given access setting and a route to it from team-a. */
    private void sharedOpenAi(String access) {
        add(secret("ai-platform", "openai-credentials", Map.of("api-key", OPENAI_KEY)));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: openai, namespace: ai-platform}
                spec:
                  provider: openai
                  secretRef: {name: openai-credentials}
                  %s
                """.formatted(access.strip().replace("\n", "\n  ")));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: chat, namespace: team-a}
                spec:
                  models: [chat]
                  backends: [{providerRef: {name: openai, namespace: ai-platform}}]
                """);
    }

    /** The provider keys team-a's snapshot carries when the namespace has these labels. */
    private List<String> keysFor(Map<String, String> namespaceLabels) {
        return build("team-a", namespaceLabels, List.of()).config().providers().stream().map(ProviderConfig::apiKey).toList();
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> copy = new HashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    private static Map<String, String> without(Map<String, String> labels, String key) {
        Map<String, String> copy = new HashMap<>(labels);
        copy.remove(key);
        return copy;
    }

    @Test
    void theOlderRouteKeepsAContestedModelAndTheNewerIsConflicted() {
        add(mockProvider("default", "mock"));
        add(route("default", "newer", "2026-03-01T00:00:00Z", "[chat, summarize]", "mock"));
        add(route("default", "older", "2026-01-01T00:00:00Z", "[chat]", "mock"));
        add(route("default", "newest", "2026-04-01T00:00:00Z", "[chat]", "mock"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().routes()).extracting(RouteConfig::name, RouteConfig::models).containsExactly(
                tuple("default/older", List.of("chat")),
                tuple("default/newer", List.of("summarize")));
        assertThat(snapshot.problemsOf("AIRoute", "default/newer")).singleElement()
                .satisfies(p -> assertThat(p.reason()).isEqualTo("Conflicted"))
                .satisfies(p -> assertThat(p.message()).isEqualTo(
                        "model 'chat' is already claimed by the older route default/older"));
        assertThat(snapshot.problemsOf("AIRoute", "default/newest")).extracting(Problem::reason).containsExactly("Conflicted");
    }

    @Test
    void routesOfTheSameAgeAreOrderedByName() {
        add(mockProvider("default", "mock"));
        add(route("default", "b", "2026-01-01T00:00:00Z", "[chat]", "mock"));
        add(route("default", "a", "2026-01-01T00:00:00Z", "[chat]", "mock"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().routes()).extracting(RouteConfig::name).containsExactly("default/a");
        assertThat(snapshot.problemsOf("AIRoute", "default/b")).extracting(Problem::reason).containsExactly("Conflicted");
    }

    @Test
    void exactNamesPrefixesAndOtherWorkloadsDoNotConflict() {
        add(mockProvider("default", "mock"));
        add(route("default", "prefix", "2026-01-01T00:00:00Z", "[gpt-4o*]", "mock"));
        add(route("default", "exact", "2026-02-01T00:00:00Z", "[gpt-4o]", "mock"));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: support, namespace: default, creationTimestamp: "2026-03-01T00:00:00Z"}
                spec:
                  models: [gpt-4o]
                  workloadSelector: {matchLabels: {app: support-bot}}
                  backends: [{providerRef: {name: mock}}]
                """);

        Snapshot snapshot = build("default");

        assertThat(snapshot.problems()).isEmpty();
        assertThat(snapshot.config().routes()).extracting(RouteConfig::name)
                .containsExactly("default/prefix", "default/exact", "default/support");
    }

    @Test
    void aBadValueRejectsOnlyItsRouteAndNamesTheField() {
        add(mockProvider("default", "mock"));
        add(route("default", "good", null, "[chat]", "mock"));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: slow, namespace: default}
                spec:
                  models: [slow]
                  backends: [{providerRef: {name: mock}}]
                  timeouts: {request: 30 seconds}
                """);
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: priced, namespace: default}
                spec:
                  models: [priced]
                  backends: [{providerRef: {name: mock}}]
                  pricing: [{model: x, input: "cheap", output: "1"}]
                """);
        add(route("default", "starry", null, "[\"a*b\"]", "mock"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().routes()).extracting(RouteConfig::name).containsExactly("default/good");
        assertThat(snapshot.problemsOf("AIRoute", "default/slow")).singleElement().extracting(Problem::message)
                .isEqualTo("spec.timeouts.request: '30 seconds' is not a duration like 250ms, 30s or 5m");
        assertThat(snapshot.problemsOf("AIRoute", "default/priced")).singleElement().extracting(Problem::message)
                .isEqualTo("spec.pricing[0].input: 'cheap' is not a USD amount like \"12.50\"");
        assertThat(snapshot.problemsOf("AIRoute", "default/starry")).singleElement().extracting(Problem::message)
                .isEqualTo("spec.models[0]: '*' is only allowed at the end");
    }

    @Test
    void onlyTheNamespacesOwnRoutesAndKeysAreServed() {
        add(mockProvider("default", "mock"));
        add(mockProvider("other", "mock"));
        add(route("default", "chat", null, "[chat]", "mock"));
        add(route("other", "chat", null, "[chat]", "mock"));

        Snapshot snapshot = build("other");

        assertThat(snapshot.config().routes()).extracting(RouteConfig::name).containsExactly("other/chat");
        assertThat(snapshot.config().providers()).extracting(ProviderConfig::id).containsExactly("other/mock");
    }

    @Test
    void spendKeysCarryTheSha256OfTheirTokenAndTheirPolicy() throws Exception {
        add(secret("default", "demo-spendkey", Map.of("token", "tg_demo")));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: demo, namespace: default}
                spec:
                  description: demo key
                  budget: {limit: "0.05", period: daily}
                  models: [chat, "gpt-4o-mini*"]
                  rateLimit: {requestsPerMinute: 60, tokensPerMinute: 10000}
                  expiresAt: "2026-12-31T00:00:00Z"
                  enforcement: lenient
                """);

        Snapshot snapshot = build("default");

        assertThat(snapshot.problems()).isEmpty();
        String expectedHash = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("tg_demo".getBytes(StandardCharsets.UTF_8)));
        assertThat(snapshot.config().spendKeys()).containsExactly(new SpendKeyConfig("default/demo", expectedHash,
                List.of("chat", "gpt-4o-mini*"), 50_000L, BudgetPeriod.DAILY, 60, 10_000,
                Instant.parse("2026-12-31T00:00:00Z"), false, Enforcement.LENIENT));
        assertThat(ConfigJson.write(snapshot.config())).asString().doesNotContain("tg_demo");
    }

    @Test
    void spendKeysWithoutTokenOrWithAnotherKeysTokenAreLeftOut() {
        add(secret("default", "a-spendkey", Map.of("token", "tg_same")));
        add(secret("default", "b-spendkey", Map.of("token", "tg_same")));
        add(spendKey("default", "a", "2026-01-01T00:00:00Z", "{limit: \"1\"}"));
        add(spendKey("default", "b", "2026-02-01T00:00:00Z", "{limit: \"1\"}"));
        add(spendKey("default", "c", null, "{limit: \"1\"}"));
        add(secret("default", "d-spendkey", Map.of("token", "tg_d")));
        add(spendKey("default", "d", null, "{limit: \"1.1234567\"}"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().spendKeys()).extracting(SpendKeyConfig::name).containsExactly("default/a");
        assertThat(snapshot.config().spendKeys().get(0).period()).isEqualTo(BudgetPeriod.MONTHLY);
        assertThat(snapshot.problemsOf("SpendKey", "default/b")).extracting(Problem::reason).containsExactly("DuplicateToken");
        assertThat(snapshot.problemsOf("SpendKey", "default/c")).extracting(Problem::message)
                .containsExactly("Secret default/c-spendkey not found");
        assertThat(snapshot.problemsOf("SpendKey", "default/d")).extracting(Problem::message)
                .containsExactly("spec.budget.limit: '1.1234567' has more than 6 decimal places");
        assertThat(snapshot.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain("tg_"));
    }

    @Test
    void noProblemEverShowsAProviderKey() {
        add(secret("default", "creds", Map.of("api-key", OPENAI_KEY)));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: broken, namespace: default}
                spec: {provider: openai, baseUrl: "ftp://example.com", secretRef: {name: creds}}
                """);
        add(route("default", "chat", null, "[chat]", "broken"));

        Snapshot snapshot = build("default");

        assertThat(snapshot.problemsOf("ProviderSecret", "default/broken")).extracting(Problem::message)
                .containsExactly("spec.baseUrl: must be an http or https URL");
        assertThat(snapshot.problems()).isNotEmpty()
                .allSatisfy(p -> assertThat(p.toString()).doesNotContain(OPENAI_KEY));
    }

    @Test
    void aBedrockSecretHoldsAnAccessKeyPairWithSessionTokenOrAnApiKey() {
        add(secret("team-a", "aws", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "sessionToken", "FwoGZXIvYXdzEXAMPLE")));
        add(secret("team-a", "bedrock-key", Map.of("token", "ABSKQmVkcm9ja0FQSUtleQ")));
        add(bedrockProvider("team-a", "bedrock", "{name: aws}", "{region: us-east-1}"));
        add(bedrockProvider("team-a", "bedrock-keyed", "{name: bedrock-key, key: token}", "{region: eu-west-1}"));
        add(route("team-a", "nova", null, "[nova-pro]", "bedrock", "bedrock-keyed"));

        Snapshot snapshot = build("team-a");

        assertThat(snapshot.problems()).isEmpty();
        ProviderConfig signed = snapshot.config().providers().get(0);
        assertThat(signed.id()).isEqualTo("team-a/bedrock");
        assertThat(signed.apiKey()).isNull();
        assertThat(signed.credentials()).isEqualTo(Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE",
                "secretAccessKey", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "sessionToken", "FwoGZXIvYXdzEXAMPLE"));
        assertThat(signed.options()).isEqualTo(Map.of("region", "us-east-1"));
        assertThat(signed.effectiveBaseUrl()).isEqualTo("https://bedrock-runtime.us-east-1.amazonaws.com");
        ProviderConfig keyed = snapshot.config().providers().get(1);
        assertThat(keyed.apiKey()).isEqualTo("ABSKQmVkcm9ja0FQSUtleQ");
        assertThat(keyed.credentials()).isEmpty();
        assertThat(ConfigJson.read(ConfigJson.write(snapshot.config()))).isEqualTo(snapshot.config());
        assertThat(signed.toString() + keyed).doesNotContain("EXAMPLEKEY").doesNotContain("FwoG").doesNotContain("ABSK");
    }

    @Test
    void aBedrockSecretMissingItsSecretKeyOrTheRegionIsReported() {
        add(secret("default", "half", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE")));
        add(secret("default", "full", Map.of("accessKeyId", "AKIAIOSFODNN7EXAMPLE", "secretAccessKey", "wJalrXUtnFEMIEXAMPLEKEY")));
        add(bedrockProvider("default", "half", "{name: half}", "{region: us-east-1}"));
        add("""
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: nowhere, namespace: default}
                spec: {provider: bedrock, secretRef: {name: full}}
                """);

        Snapshot snapshot = build("default");

        assertThat(snapshot.config().providers()).isEmpty();
        assertThat(snapshot.problemsOf("ProviderSecret", "default/half")).extracting(Problem::reason, Problem::message)
                .containsExactly(tuple("KeyMissing", "Secret default/half has no key 'secretAccessKey'"));
        assertThat(snapshot.problemsOf("ProviderSecret", "default/nowhere")).extracting(Problem::reason, Problem::message)
                .containsExactly(tuple("Invalid",
                        "spec.options.region: required for provider type 'bedrock' (a ProviderSecret's bedrock.region)"));
        assertThat(snapshot.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain("EXAMPLEKEY"));
    }

    private Snapshot build(String namespace) {
        return build(namespace, Map.of(), List.of());
    }

    private Snapshot build(String namespace, Map<String, String> labels, List<ModelPrice> prices) {
        return SnapshotBuilder.build(new SnapshotInputs(namespace, labels, providers, routes, spendKeys, secrets, prices, "v7"));
    }

    private void add(String yaml) {
        switch (Serialization.unmarshal(yaml, GenericKubernetesResource.class).getKind()) {
            case "ProviderSecret" -> providers.add(Serialization.unmarshal(yaml, ProviderSecret.class));
            case "AIRoute" -> routes.add(Serialization.unmarshal(yaml, AIRoute.class));
            case "SpendKey" -> spendKeys.add(Serialization.unmarshal(yaml, SpendKey.class));
            case "Secret" -> secrets.add(Serialization.unmarshal(yaml, Secret.class));
            default -> throw new IllegalArgumentException(yaml);
        }
    }

    private static String mockProvider(String ns, String name) {
        return """
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: %s, namespace: %s}
                spec: {provider: mock}
                """.formatted(name, ns);
    }

    private static String openAiProvider(String ns, String name, String secret) {
        return """
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: %s, namespace: %s}
                spec: {provider: openai, secretRef: {name: %s}}
                """.formatted(name, ns, secret);
    }

    private static String bedrockProvider(String ns, String name, String secretRef, String bedrock) {
        return """
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: %s, namespace: %s}
                spec: {provider: bedrock, secretRef: %s, bedrock: %s}
                """.formatted(name, ns, secretRef, bedrock);
    }

    private static String route(String ns, String name, String created, String models, String... providerNames) {
        StringBuilder backends = new StringBuilder();
        for (String p : providerNames) {
            backends.append(backends.isEmpty() ? "" : ", ").append("{providerRef: {name: ").append(p).append("}}");
        }
        return """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: %s, namespace: %s%s}
                spec:
                  models: %s
                  backends: [%s]
                """.formatted(name, ns, created == null ? "" : ", creationTimestamp: \"" + created + "\"", models, backends);
    }

    private static String spendKey(String ns, String name, String created, String budget) {
        return """
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: %s, namespace: %s%s}
                spec: {budget: %s}
                """.formatted(name, ns, created == null ? "" : ", creationTimestamp: \"" + created + "\"", budget);
    }

    private static String secret(String ns, String name, Map<String, String> stringData) {
        StringBuilder data = new StringBuilder();
        stringData.forEach((k, v) -> data.append(data.isEmpty() ? "" : ", ").append(k).append(": \"").append(v).append('"'));
        return """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                stringData: {%s}
                """.formatted(name, ns, data);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
