package dev.tollgate.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import java.util.function.Supplier;

/** Status writes: only when something changed, and from a fresh object that carries nothing but the status. */
final class StatusPatches {
    private StatusPatches() {
    }

    /**
     * @param blank makes an empty object of the primary's kind; the patch is built from it rather than
     *              from the cached object, so it can never carry a stale spec or metadata back
     */
    static <S, P extends CustomResource<?, S>> UpdateControl<P> patchIfChanged(P current, S status, Supplier<P> blank) {
        if (Objects.equals(current.getStatus(), status)) {
            return UpdateControl.noUpdate();
        }
        P fresh = blank.get();
        fresh.setMetadata(new ObjectMetaBuilder()
                .withName(current.getMetadata().getName())
                .withNamespace(current.getMetadata().getNamespace())
                .withUid(current.getMetadata().getUid())
                .build());
        fresh.setStatus(status);
        return UpdateControl.patchStatus(fresh);
    }
}
