package dev.tollgate.helm;

/** Values a platform team might really set, every one away from its default. */
final class ExampleValues {
    static final String NON_DEFAULT = """
            operator:
              image:
                repository: registry.example.com/platform/tollgate-operator
                tag: "1.4.2"
                pullPolicy: Always
              replicas: 3
              podDisruptionBudget:
                minAvailable: 2
              resources:
                requests: {cpu: 200m, memory: 384Mi}
                limits: {cpu: "1", memory: 768Mi}
              shutdownDrainSeconds: 10
              terminationGracePeriodSeconds: 45
              ports: {health: 8081, control: 8444, webhook: 9444}
            serviceName: gateway-control
            sidecar:
              image:
                repository: registry.example.com/platform/tollgate-sidecar
                tag: "1.4.2"
              resources:
                requests: {cpu: 100m, memory: 160Mi}
                limits: {cpu: 500m, memory: 256Mi}
              ports: {proxy: 4100, admin: 9500}
              maxConcurrent: 10000
              nativeSidecars: "off"
              telemetry:
                otlpEndpoint: http://otel-collector.observability:4318
                protocol: http/protobuf
                traceSampling: 0.1
                usageEvents: false
            webhook:
              name: gateway-injector
              failurePolicy: Ignore
              timeoutSeconds: 5
              reinvocationPolicy: Never
              excludeNamespaces: [kube-system, monitoring]
            certificates:
              mode: cert-manager
              secretName: gateway-tls
            priceCatalog:
              - {model: gpt-4o-mini, input: "0.15", cachedInput: "0.075", output: "0.60"}
              - {model: claude-sonnet-4-5, input: "3", cacheWrite: "3.75", output: "15"}
            monitoring:
              serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
              podMonitor: {enabled: true}
              prometheusRule: {enabled: true}
              grafanaDashboards: {enabled: true, namespace: grafana}
            """;

    private ExampleValues() {
    }
}
