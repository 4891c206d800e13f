package dev.tollgate.sidecar.provider;

/**
 * A base64 {@code data:} URL, as OpenAI clients send inline images ({@code data:image/png;base64,...}):
 * its media type and its base64 payload, which the other APIs want apart.
 */
public record DataUrl(String mediaType, String base64Data) {
    private static final String PREFIX = "data:";
    private static final String BASE64 = ";base64";

    public static boolean isDataUrl(String url) {
        return url.startsWith(PREFIX);
    }

    /** The parts of a base64 data: URL, or null when it is not one. */
    public static DataUrl parse(String url) {
        int comma = url.indexOf(',');
        if (!isDataUrl(url) || comma < 0) {
            return null;
        }
        String meta = url.substring(PREFIX.length(), comma);
        if (!meta.endsWith(BASE64)) {
            return null;
        }
        return new DataUrl(meta.substring(0, meta.length() - BASE64.length()), url.substring(comma + 1));
    }
}
