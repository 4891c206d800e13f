package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Accepted (or Conflicted: another route claims a model) and ResolvedRefs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AIRouteStatus(Long observedGeneration, List<Condition> conditions) {
}
