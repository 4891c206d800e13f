package dev.tollgate.operator.local;

/** A manifest directory that cannot be read; the message names the file and line. */
public class ManifestException extends Exception {
    public ManifestException(String message) {
        super(message);
    }
}
