package dev.tollgate.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A scoped credential with a budget. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@ShortNames("sk")
@AdditionalPrinterColumn(name = "State", jsonPath = ".status.state", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Spent", jsonPath = ".status.spent", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Limit", jsonPath = ".spec.budget.limit", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Remaining", jsonPath = ".status.remaining", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reserved", jsonPath = ".status.reserved", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Requests", jsonPath = ".status.requests", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Last Used", jsonPath = ".status.lastUsedAt", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Period", jsonPath = ".spec.budget.period", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "Prefix", jsonPath = ".status.keyPrefix", type = AdditionalPrinterColumn.Type.STRING,
        priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SpendKey extends CustomResource<SpendKeySpec, SpendKeyStatus> implements Namespaced {
}
