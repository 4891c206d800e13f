package dev.tollgate.sidecar.provider.bedrock;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 for services other than S3: the canonical request (path segments encoded
 * once more on top of their wire encoding, sorted query, sorted lower-case headers, body SHA-256),
 * the string to sign, the derived signing key and the {@code Authorization} header.
 * The clock is injectable so a signature can be reproduced.
 */
public final class SigV4Signer {
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;
    private final String region;
    private final String service;
    private final Clock clock;

    /** {@code sessionToken} may be null (long-term keys). */
    public SigV4Signer(String accessKeyId, String secretAccessKey, String sessionToken, String region, String service,
                       Clock clock) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    /**
     * Signs a request. {@code headers} are the ones to sign besides those the signer adds itself
     * ({@code host}, {@code x-amz-date}, {@code x-amz-security-token}); the uri is as sent on the wire.
     */
    public Signature sign(String method, URI uri, Map<String, String> headers, byte[] body) {
        String stamp = STAMP.format(clock.instant());
        Map<String, String> added = new LinkedHashMap<>();
        added.put("X-Amz-Date", stamp);
        if (sessionToken != null && !sessionToken.isEmpty()) {
            added.put("X-Amz-Security-Token", sessionToken);
        }
        TreeMap<String, String> canonicalHeaders = new TreeMap<>();
        canonicalHeaders.put("host", hostHeader(uri));
        headers.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), trimValue(value)));
        added.forEach((name, value) -> canonicalHeaders.put(name.toLowerCase(Locale.ROOT), value));
        String signedHeaders = String.join(";", canonicalHeaders.keySet());

        StringBuilder canonical = new StringBuilder()
                .append(method.toUpperCase(Locale.ROOT)).append('\n')
                .append(canonicalPath(uri.getRawPath())).append('\n')
                .append(canonicalQuery(uri.getRawQuery())).append('\n');
        canonicalHeaders.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
        canonical.append('\n').append(signedHeaders).append('\n').append(HEX.formatHex(sha256(body)));
        String canonicalRequest = canonical.toString();

        String date = stamp.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + stamp + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        String signature = HEX.formatHex(hmac(key, stringToSign));
        String authorization = ALGORITHM + " Credential=" + accessKeyId + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        added.put("Authorization", authorization);
        return new Signature(canonicalRequest, stringToSign, authorization, Map.copyOf(added));
    }

    /**
     * What signing produced. {@code headersToAdd} (date, session token, authorization) go on the request.
     * The canonical request may hold the session token, so none of this is ever printed.
     */
    public record Signature(String canonicalRequest, String stringToSign, String authorization,
                            Map<String, String> headersToAdd) {
        @Override
        public String toString() {
            return "Signature[redacted]";
        }
    }

    /** The Host header HTTP clients send: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == 443 && "https".equals(uri.getScheme())
                || port == 80 && "http".equals(uri.getScheme());
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** Each segment of the wire path (already percent-encoded once) is encoded again, as non-S3 services expect. */
    static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        String[] segments = rawPath.split("/", -1);
        List<String> encoded = new ArrayList<>(segments.length);
        for (String segment : segments) {
            encoded.add(uriEncode(segment));
        }
        return String.join("/", encoded);
    }

    /** Parameters decoded, then each name and value encoded strictly, sorted by name then value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[] {uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>(pairs.size());
        for (String[] pair : pairs) {
            joined.add(pair[0] + "=" + pair[1]);
        }
        return String.join("&", joined);
    }

    /** RFC 3986 encoding: everything but unreserved characters, upper-case hex, space as %20. */
    static String uriEncode(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String percentDecode(String text) {
        // '+' is a literal plus here, not a space: only %XX escapes are decoded.
        return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Leading and trailing spaces removed, inner runs of spaces collapsed to one. */
    private static String trimValue(String value) {
        return value.strip().replaceAll(" +", " ");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
