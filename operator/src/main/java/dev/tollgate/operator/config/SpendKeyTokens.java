package dev.tollgate.operator.config;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Spend-key tokens: {@code tg_} + 32 random bytes in base62, kept in Secret
 * {@code <name>-spendkey} under key {@code token}. The operator and local mode make them alike.
 */
public final class SpendKeyTokens {
    public static final String SECRET_SUFFIX = "-spendkey";
    public static final String SECRET_KEY = "token";
    public static final String PREFIX = "tg_";

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    /** 62^43 > 2^256, so every 32-byte value fits; padding keeps every token the same length. */
    private static final int LENGTH = 43;

    private SpendKeyTokens() {
    }

    /** The Secret holding the token of SpendKey {@code spendKeyName}. */
    public static String secretName(String spendKeyName) {
        return spendKeyName + SECRET_SUFFIX;
    }

    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        BigInteger n = new BigInteger(1, bytes);
        BigInteger base = BigInteger.valueOf(62);
        char[] digits = new char[LENGTH];
        for (int i = LENGTH - 1; i >= 0; i--) {
            BigInteger[] qr = n.divideAndRemainder(base);
            digits[i] = BASE62.charAt(qr[1].intValue());
            n = qr[0];
        }
        return PREFIX + new String(digits);
    }
}
