package dev.tollgate.operator.runtime;

/** A command-line port number, with the message both commands give for a bad one. */
public final class PortFlag {
    private PortFlag() {
    }

    /** @throws IllegalArgumentException naming the flag when {@code value} is not 0 to 65535 */
    public static int parse(String flag, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, like an out-of-range number
        }
        throw new IllegalArgumentException(flag + " needs a port number from 0 to 65535, not '" + value + "'");
    }
}
