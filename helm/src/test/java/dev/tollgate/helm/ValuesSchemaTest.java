package dev.tollgate.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Wrong values stop `helm install` with a message naming them, before anything reaches the cluster. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            operator: {replicas: -1}                               | replicas
            operator: {replicas: two}                              | replicas
            operator: {replica: 3}                                 | replica
            operator: {ports: {control: 70000}}                    | control
            operator: {resources: {requests: {memory: lots}}}      | memory
            sidecar: {nativeSidecars: maybe}                       | nativeSidecars
            sidecar: {resources: {limits: {cpu: fast}}}            | cpu
            sidecar: {ports: {proxy: 0}}                           | proxy
            sidecar: {maxConcurrent: 0}                            | maxConcurrent
            sidecar: {telemetry: {traceSampling: 2}}               | traceSampling
            sidecar: {telemetry: {otlpEndpoint: collector:4318}}   | otlpEndpoint
            sidecar: {telemetry: {protocol: grpc}}                 | protocol
            sidecar: {image: {pullPolicy: Always}}                 | pullPolicy
            test: {image: {pullPolicy: Always}}                    | pullPolicy
            operator: {image: {pullPolicy: Sometimes}}             | pullPolicy
            webhook: {failurePolicy: Retry}                        | failurePolicy
            webhook: {timeoutSeconds: 60}                          | timeoutSeconds
            webhook: {reinvocationPolicy: Always}                  | reinvocationPolicy
            certificates: {mode: vault}                            | mode
            serviceName: Tollgate_Operator                         | serviceName
            'priceCatalog: [{model: gpt-4o, input: cheap, output: "10"}]' | input
            'priceCatalog: [{model: gpt-4o, input: "2.5"}]'        | output
            monitoring: {podMonitor: {enabled: yes please}}        | enabled
            monitoring: {serviceMonitor: {enabled: true, interval: soon}} | interval
            """)
    void schemaRejects(String values, String field) {
        assertThatThrownBy(() -> RenderedChart.of(values))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining(field);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            operator: {shutdownDrainSeconds: 30, terminationGracePeriodSeconds: 30} | operator.terminationGracePeriodSeconds (30) must be above operator.shutdownDrainSeconds (30)
            operator: {replicas: 1}                                                  | operator.podDisruptionBudget.minAvailable (1) must be below operator.replicas (1)
            operator: {ports: {control: 8080}}                                       | operator.ports health (8080), control (8080) and webhook (9443) must be three different ports
            sidecar: {ports: {admin: 4000}}                                          | sidecar.ports.proxy and sidecar.ports.admin must differ, both are 4000
            """)
    void templatesRejectWhatTheSchemaCannotCompare(String values, String message) {
        assertThatThrownBy(() -> RenderedChart.of(values)).hasMessageContaining(message);
    }
}
