package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes events ({@code events.k8s.io/v1}) about Tollgate objects, shown by
 * {@code kubectl describe} and {@code kubectl events}. An event that cannot be written is logged
 * and dropped: it never fails a reconcile.
 */
public final class EventRecorder {
    static final String CONTROLLER = "tollgate.dev/operator";
    private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
    /** metav1.MicroTime: RFC 3339 with microseconds. */
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);
    private static final int MAX_NOTE = 1024;

    private final KubernetesClient client;
    private final String instance;
    private final Clock clock;

    /** @param instance this replica's name (the pod's), as {@code reportingInstance} */
    public EventRecorder(KubernetesClient client, String instance, Clock clock) {
        this.client = client;
        this.instance = instance;
        this.clock = clock;
    }

    public void normal(HasMetadata regarding, String reason, String note) {
        record(regarding, "Normal", reason, note);
    }

    public void warning(HasMetadata regarding, String reason, String note) {
        record(regarding, "Warning", reason, note);
    }

    /**
     * One event per condition whose status or reason changed. The conditions read "good" when
     * True (Ready, Accepted, ResolvedRefs): True is Normal, False a Warning.
     */
    public void conditionChanges(HasMetadata regarding, List<Condition> previous, List<Condition> next) {
        for (Condition c : Conditions.changed(previous, next)) {
            record(regarding, Conditions.holds(c) ? "Normal" : "Warning", c.reason(), c.type() + ": " + c.message());
        }
    }

    private void record(HasMetadata regarding, String type, String reason, String note) {
        Instant now = clock.instant();
        String namespace = regarding.getMetadata().getNamespace();
        Event event = new EventBuilder()
                .withNewMetadata()
                // kubectl's naming: the object's name and a unique hex suffix.
                .withName(regarding.getMetadata().getName() + "." + Long.toHexString(now.toEpochMilli())
                        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)))
                .withNamespace(namespace)
                .endMetadata()
                .withEventTime(new MicroTime(MICRO_TIME.format(now)))
                .withReportingController(CONTROLLER)
                .withReportingInstance(instance)
                .withAction("Reconcile")
                .withType(type)
                .withReason(reason)
                .withNote(note.length() > MAX_NOTE ? note.substring(0, MAX_NOTE - 3) + "..." : note)
                .withRegarding(new ObjectReferenceBuilder()
                        .withApiVersion(regarding.getApiVersion())
                        .withKind(regarding.getKind())
                        .withNamespace(namespace)
                        .withName(regarding.getMetadata().getName())
                        .withUid(regarding.getMetadata().getUid())
                        .withResourceVersion(regarding.getMetadata().getResourceVersion())
                        .build())
                .build();
        try {
            client.resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warn("could not record event {} for {} {}/{}: {}", reason, regarding.getKind(), namespace,
                    regarding.getMetadata().getName(), e.getMessage());
        }
    }
}
