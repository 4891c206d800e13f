package dev.tollgate.operator.runtime;

/** A command-line port number, with the message both commands give for a bad one. */
public final class PortFlag {
    private PortFlag() {
    }

    /** @throws IllegalArgumentException naming the flag when {@code value} is not 0 to 65535 (0: any free port) */
    public static int parse(String flag, String value) {
        return parse(flag, value, 0);
    }

    /**
     * A port others are told to call, so "any free port" will not do.
     *
     * @throws IllegalArgumentException naming the flag when {@code value} is not 1 to 65535
     */
    public static int parseFixed(String flag, String value) {
        return parse(flag, value, 1);
    }

    private static int parse(String flag, String value, int lowest) {
        try {
            int port = Integer.parseInt(value);
            if (port >= lowest && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new IllegalArgumentException(flag + " needs a port number from " + lowest + " to 65535, not '" + value + "'");
    }
}
