package dev.tollgate.sidecar;

import static dev.tollgate.sidecar.testing.Configs.backend;
import static dev.tollgate.sidecar.testing.Configs.config;
import static dev.tollgate.sidecar.testing.Configs.route;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.ConfigException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A sidecar that cannot start leaves no IO thread behind: those would keep the process from exiting. */
class SidecarStartTest {
    @Test
    void anInvalidConfigurationFailsTheStartAndStopsTheIoThreadsItStarted() throws Exception {
        Set<Thread> before = ioThreads();

        assertThatThrownBy(() -> Sidecar.start(SidecarSettings.defaults().withPorts(0, 0),
                config(List.of(), List.of(route("team/chat", List.of("chat"), backend("ai/missing", "m", 0))), List.of())))
                .isInstanceOf(ConfigException.class);

        Set<Thread> started = ioThreads();
        for (int i = 0; i < 100 && started.stream().anyMatch(t -> !before.contains(t)); i++) {
            Thread.sleep(50);
            started = ioThreads();
        }
        assertThat(started).as("IO threads left running").isSubsetOf(before);
    }

    private static Set<Thread> ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("XNIO-") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
