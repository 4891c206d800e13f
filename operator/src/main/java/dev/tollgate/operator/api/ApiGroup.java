package dev.tollgate.operator.api;

/** The API group and version of every Tollgate resource. */
public final class ApiGroup {
    public static final String GROUP = "tollgate.dev";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    private ApiGroup() {
    }
}
