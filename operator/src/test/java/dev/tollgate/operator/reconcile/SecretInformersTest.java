package dev.tollgate.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.operator.control.SecretRequests;
import org.junit.jupiter.api.Test;

class SecretInformersTest extends WithRunningOperator {

    @Test
    void everyReconcilersSecretInformerLeavesOutTheTypesTheOperatorNeverReads() throws Exception {
        var requests = SecretRequests.take(server);

        assertThat(requests).filteredOn(path -> !path.contains("watch=true")).as("a list per reconciler").hasSize(3);
        assertThat(requests).isNotEmpty()
                .allSatisfy(path -> assertThat(path).contains("fieldSelector=" + SecretRequests.UNREAD_TYPES));
    }
}
