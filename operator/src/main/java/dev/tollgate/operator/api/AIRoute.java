package dev.tollgate.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which model names an app may call and where they go. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("air")
@AdditionalPrinterColumn(name = "Models", jsonPath = ".spec.models", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Refs", jsonPath = ".status.conditions[?(@.type==\"ResolvedRefs\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class AIRoute extends CustomResource<AIRouteSpec, AIRouteStatus> implements Namespaced {
}
